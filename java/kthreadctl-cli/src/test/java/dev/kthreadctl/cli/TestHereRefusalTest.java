// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.Test;

/** make test-here loads a module into the running kernel: never without being told to. */
class TestHereRefusalTest {
    private static final Path SCRIPT = Paths.get("..", "..", "vm", "test-here.sh").toAbsolutePath().normalize();

    @Test
    void refusesWithoutConsentAndSaysHowToGiveIt() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString()).redirectErrorStream(true);
        builder.environment().remove("KTHREADCTL_ALLOW_HOST");
        Process process = builder.start();
        String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, process.exitValue(), output);
        assertTrue(output.contains("loads the kthreadctl module into the kernel you are running"), output);
        assertTrue(output.contains("--yes or KTHREADCTL_ALLOW_HOST=1"), output);
        assertTrue(!output.contains("loading "), "nothing was loaded: " + output);
    }
}
