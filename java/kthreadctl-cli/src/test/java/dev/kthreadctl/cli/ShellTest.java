// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.apache.commons.io.IOUtils;
import org.junit.jupiter.api.Test;

/** kthreadctl shell through the wrapper, its input from a pipe, as a script would drive it. */
class ShellTest {
    private static final Path WRAPPER = Paths.get("..", "..", "bin", "kthreadctl").toAbsolutePath().normalize();

    private static String shell(String input) throws Exception {
        Process process = new ProcessBuilder(WRAPPER.toString(), "shell").redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = IOUtils.toString(process.getInputStream(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell ends at exit or end of input");
        assertEquals(0, process.exitValue(), output);
        return output;
    }

    @Test
    void runsEachLineInOneJvmAndGoesOnAfterAFailure() throws Exception {
        // (An open quote continues on the next line, as in a POSIX shell: batch tests refuse it.)
        String output = shell("list --kind kthreadd\nlisst\n  \n# a comment\ncreate x --count 0\n"
                + "shell\nexit\nlist --kind ksoftirqd\n");
        assertTrue(output.matches("(?s).*\\n\\s+2\\s+0\\s+\\S\\s+\\d+\\s+kthreadd\\s+kthreadd\\n.*"), output);
        assertTrue(output.contains("kthreadctl: Unmatched argument at index 0: 'lisst' (did you mean list"), output);
        assertTrue(output.contains("kthreadctl: --count must be 1 to 8192, not 0"), output);
        assertTrue(output.contains("kthreadctl: 'shell' cannot run inside shell or batch"), output);
        assertFalse(output.contains("ksoftirqd/"), "nothing runs after exit: " + output);
        assertFalse(output.contains("Exception"), output);
    }

    /* Waits until the output so far contains {@code marker}; fails after 60 s. */
    private static void awaitOutput(StringBuffer output, String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output.toString().contains(marker)) {
            assertTrue(System.nanoTime() < deadline, "no '" + marker + "' in: " + output);
            Thread.sleep(50);
        }
    }

    @Test
    void ctrlCStopsTheRunningCommandAndTheShellGoesOn() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(Paths.get("/usr/bin/script")),
                "script(1) gives the shell a terminal, where Ctrl-C is a signal");
        // A container may have no pseudo-terminals to give.
        Process probe = new ProcessBuilder("/usr/bin/script", "-qfc", "true", "/dev/null").redirectErrorStream(true)
                .start();
        probe.getOutputStream().close();
        probe.getInputStream().readAllBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "no pseudo-terminal here");
        // A terminal of no size gets a prompt cut to nothing: give it one.
        Process process = new ProcessBuilder("/usr/bin/script", "-qfc", "stty cols 120 rows 40; " + WRAPPER + " shell",
                "/dev/null")
                .redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread reader = new Thread(() -> {
            try {
                byte[] chunk = new byte[4096];
                for (int n; (n = process.getInputStream().read(chunk)) > 0; ) {
                    output.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException ended) {
                // the process is gone
            }
        });
        reader.start();
        try (OutputStream in = process.getOutputStream()) {
            awaitOutput(output, "kthreadctl>");
            in.write("top --interval 1\r".getBytes(StandardCharsets.UTF_8));
            in.flush();
            awaitOutput(output, "TICKS");
            in.write(3);
            in.flush();
            awaitOutput(output, "kthreadctl: interrupted");
            in.write("list --kind kthreadd\r".getBytes(StandardCharsets.UTF_8));
            in.flush();
            awaitOutput(output, "kthreadd  kthreadd");
            in.write("exit\r".getBytes(StandardCharsets.UTF_8));
            in.flush();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the shell ends at exit: " + output);
        } finally {
            process.destroyForcibly();
        }
        reader.join(10_000);
        assertEquals(0, process.exitValue(), output.toString());
    }

    @Test
    void endOfInputEndsItLikeExit() throws Exception {
        assertTrue(shell("list --kind kthreadd\n").contains("kthreadd"));
    }
}
