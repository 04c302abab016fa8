// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.impl.DefaultParser;
import picocli.CommandLine;

/**
 * Runs kthreadctl command lines one after another in this JVM: what shell and
 * batch share. Each line gets fresh command objects, exactly as a new
 * process would, but none of the JVM's start-up.
 */
final class CommandSession {
    /* A session inside a session would only stack prompts or files. */
    private static final Set<String> NOT_INSIDE = Set.of("shell", "batch");

    /* JLine's parser splits words as a POSIX shell does: quotes and backslashes. */
    private final DefaultParser parser = new DefaultParser().eofOnUnclosedQuote(true);
    private final PrintWriter out;
    private final PrintWriter err;

    CommandSession(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
    }

    /** The parser the shell's line reader uses too, so that completion splits words the same way. */
    Parser parser() {
        return parser;
    }

    /**
     * The words of one command line, without a leading {@code kthreadctl};
     * empty for a blank line or a comment (# first).
     *
     * @throws IllegalArgumentException for a quote that is never closed
     */
    List<String> words(String line) {
        if (line.isBlank() || line.strip().startsWith("#")) {
            return List.of();
        }
        List<String> words;
        try {
            words = new ArrayList<>(parser.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words());
        } catch (SyntaxError e) {
            throw new IllegalArgumentException("a quote is never closed in: " + line, e);
        }
        words.removeIf(String::isEmpty);
        if (!words.isEmpty() && words.get(0).equals("kthreadctl")) {
            words.remove(0);
        }
        return words;
    }

    /** Runs one command, as {@code kthreadctl WORDS...} would; returns its exit code. */
    int run(List<String> words) {
        if (!words.isEmpty() && NOT_INSIDE.contains(words.get(0))) {
            err.println("kthreadctl: '" + words.get(0) + "' cannot run inside shell or batch");
            err.flush();
            return Main.EXIT_USAGE;
        }
        String[] args = words.toArray(String[]::new);
        CommandLine commandLine = Main.commandLine(args);
        commandLine.setOut(out);
        commandLine.setErr(err);
        return commandLine.execute(args);
    }
}
