// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A C scanner kept running ({@code minimal-scan serve}), asked for one timed
 * scan at a time: so that its scans and Java's can alternate one by one,
 * each pair a second or so apart, where an emulator's speed drifts by a
 * factor of two over a minute.
 */
final class ScanServer implements AutoCloseable {
    private final Process process;
    private final Writer requests;
    private final BufferedReader replies;

    ScanServer(String binary, String... mode) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary, "serve"));
        command.addAll(List.of(mode));
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        requests = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
        replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** One scan, timed by the scanner itself. */
    record Scan(double ms, int tasks) {
    }

    /** Asks for one scan. */
    Scan scan() throws IOException {
        requests.write("scan\n");
        requests.flush();
        String reply = replies.readLine();
        if (reply == null) {
            throw new IOException("the C scanner ended (status " + waitQuietly() + ")");
        }
        String[] fields = reply.trim().split(" ");
        return new Scan(Double.parseDouble(fields[0]), Integer.parseInt(fields[1]));
    }

    private String waitQuietly() {
        try {
            return Integer.toString(process.waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        requests.close();
        String status = waitQuietly();
        if (!status.equals("0")) {
            throw new IOException("the C scanner ended with status " + status);
        }
    }
}
