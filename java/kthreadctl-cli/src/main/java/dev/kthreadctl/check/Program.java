// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a program (insmod, rmmod, dmesg), bounded in time.
 *
 * <p>Loading and unloading go through the programs, in processes of their
 * own, and not through a system call from this JVM: a module whose exit
 * waits forever leaves the caller in state D, where no signal reaches it. A
 * JVM with a thread stuck so could not exit; a stuck rmmod is left behind
 * and the check goes on.
 *
 * @param command the program and its arguments
 * @param pid the process's pid
 * @param finished whether it ended within the bound
 * @param exitCode its exit code, or -1 if it had not ended
 * @param output what it wrote to stdout and stderr, in one
 */
record Program(List<String> command, long pid, boolean finished, int exitCode, String output) {
    private static final List<String> SYSTEM_DIRECTORIES = List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin");

    static Program run(Duration bound, String... command) throws InterruptedException {
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, locate(command[0]));
        Path output = null;
        try {
            // A file, not a pipe: a stuck program must not hold up reading its output.
            output = Files.createTempFile("kthreadctl-check-", ".out");
            Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            boolean finished = process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            return new Program(line, process.pid(), finished, finished ? process.exitValue() : -1, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", line) + ": " + e.getMessage(), e);
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }

    /** The program in PATH, or else in the system directories, which sudo and a bare guest may leave out. */
    private static String locate(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        List<String> directories = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        directories.addAll(SYSTEM_DIRECTORIES);
        for (String directory : directories) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
                return Path.of(directory, name).toString();
            }
        }
        return name;
    }

    boolean succeeded() {
        return finished && exitCode == 0;
    }
}
