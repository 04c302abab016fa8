// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "batch", mixinStandardHelpOptions = true,
        description = {"Run the commands in FILE (- for standard input), one per line, in this one JVM.",
            "A line is what follows 'kthreadctl' on a command line (it may start with 'kthreadctl' too),"
                + " quoted as in a shell; blank lines and lines starting with # are skipped.",
            "Stops at the first command that fails and exits with its code, unless --keep-going, which runs"
                + " every line and exits with the first failure's code."})
final class BatchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The commands, or - for standard input.")
    private String file;

    @Option(names = "--keep-going", description = "Run every line even after one fails.")
    private boolean keepGoing;

    @Option(names = "--echo", description = "Print each command, as '$ kthreadctl ...', before what it prints.")
    private boolean echo;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandSession session = new CommandSession(out, err);
        String where = file.equals("-") ? "standard input" : file;
        int firstFailure = 0;
        List<Integer> failedLines = new ArrayList<>();
        int lineNumber = 0;
        try (BufferedReader in = open()) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                int code;
                try {
                    List<String> words = session.words(line);
                    if (words.isEmpty()) {
                        continue;
                    }
                    if (echo) {
                        // As written, quotes and all: what a user would type after 'kthreadctl'.
                        out.println("$ kthreadctl " + line.strip().replaceFirst("^kthreadctl\\s+", ""));
                        out.flush();
                    }
                    code = session.run(words);
                } catch (IllegalArgumentException e) {
                    err.println("kthreadctl: " + e.getMessage());
                    err.flush();
                    code = Main.EXIT_USAGE;
                }
                if (code == 0) {
                    continue;
                }
                failedLines.add(lineNumber);
                firstFailure = firstFailure == 0 ? code : firstFailure;
                if (!keepGoing) {
                    err.println("kthreadctl: batch stopped at line " + lineNumber + " of " + where
                            + " (exit code " + code + "); --keep-going runs the rest");
                    err.flush();
                    return code;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where + ": " + e.getMessage(), e);
        }
        if (!failedLines.isEmpty()) {
            err.println("kthreadctl: " + failedLines.size() + " command(s) of " + where + " failed, on line(s) "
                    + failedLines.toString().replaceAll("[\\[\\]]", ""));
            err.flush();
        }
        return firstFailure;
    }

    private BufferedReader open() {
        if (file.equals("-")) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(Paths.get(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        }
    }
}
