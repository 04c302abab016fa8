// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jline.reader.Parser;
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

    /*
     * JLine's parser, for the shell's line editing and completion only: it
     * continues a line with an open quote, but keeps quotes inside a word
     * (--name='a b'), so the words a command runs with come from words().
     */
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
     * The words of one command line, split as a POSIX shell splits them
     * (without expansions), without a leading {@code kthreadctl}; empty for
     * a blank line or a comment (# first). Single quotes keep everything
     * literally; double quotes keep all but a backslash before {@code " \\ $ `};
     * outside quotes a backslash keeps the next character; quoted parts join
     * the word around them ({@code --name='a b'} is one word), and {@code ''}
     * is an empty word.
     *
     * @throws IllegalArgumentException for a quote that is never closed
     */
    List<String> words(String line) {
        if (line.isBlank() || line.strip().startsWith("#")) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int close = c == '\'' ? line.indexOf('\'', i + 1) : closingDoubleQuote(line, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("a quote is never closed in: " + line);
                }
                String quoted = line.substring(i + 1, close);
                word.append(c == '"' ? quoted.replaceAll("\\\\([\"\\\\$`])", "$1") : quoted);
                inWord = true;
                i = close;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (!words.isEmpty() && words.get(0).equals("kthreadctl")) {
            words.remove(0);
        }
        return words;
    }

    /* The index of the double quote that closes one opened before {@code from}, or -1. */
    private static int closingDoubleQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Runs one command, as {@code kthreadctl WORDS...} would; returns its exit code. */
    int run(List<String> words) {
        // The command word is the first that is not an option (--debug may come before it).
        String command = words.stream().filter(w -> !w.startsWith("-")).findFirst().orElse("");
        if (NOT_INSIDE.contains(command)) {
            err.println("kthreadctl: '" + command + "' cannot run inside shell or batch");
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
