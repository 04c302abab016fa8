// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.io.IOUtils;

/** The other programs a comparison runs (the C scanners and client, ps): what they print, or why they failed. */
final class Programs {
    private Programs() {
    }

    /** Runs a program to its end; its output, standard error included. */
    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
