// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * The training run for the class-data-sharing archive the wrapper passes to
 * the JVM (vm/cds-archive.sh runs it with {@code -XX:ArchiveClassesAtExit}).
 * The archive holds the classes a run loaded, so this runs, in one JVM, the
 * kinds of command users start most: the version, a table and a JSON
 * document from /proc, the usage, and one call to the device (which fails
 * cleanly when the module is not loaded, after loading JNA's classes).
 * Their output goes nowhere; what matters is which classes they loaded.
 */
final class CdsTraining {
    private static final List<List<String>> COMMANDS = List.of(
            List.of("--version"),
            List.of("list"),
            List.of("list", "--all", "--json"),
            List.of("list", "--per-cpu"),
            List.of("status"),
            List.of("--help"),
            List.of("no-such-command"));

    private CdsTraining() {
    }

    public static void main(String[] args) {
        PrintWriter nowhere = new PrintWriter(OutputStream.nullOutputStream());
        for (List<String> command : COMMANDS) {
            String[] words = command.toArray(String[]::new);
            CommandLine commandLine = Main.commandLine(words);
            commandLine.setOut(nowhere);
            commandLine.setErr(nowhere);
            commandLine.execute(words);
        }
    }
}
