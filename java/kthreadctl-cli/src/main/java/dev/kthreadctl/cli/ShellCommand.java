// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"A prompt that runs kthreadctl commands in this one JVM, each for a fraction of a new start.",
            "Type a command as after 'kthreadctl', e.g. 'list --kind kworker'. Tab completes commands and options;"
                + " history is kept in $XDG_STATE_HOME/kthreadctl/history (default ~/.local/state) when that can"
                + " be written. 'exit', 'quit' or Ctrl-D leaves; Ctrl-C drops the line being typed, or stops"
                + " the command that runs (top, say)."})
final class ShellCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        // Only the exec provider (stty through a child process): JLine's JNI
        // provider would unpack a native library into a temporary directory,
        // which root must never load from (see bin/kthreadctl).
        try (Terminal terminal = TerminalBuilder.builder().system(true).provider("exec").dumb(true).build()) {
            PrintWriter out = terminal.writer();
            CommandSession session = new CommandSession(out, out);
            LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("kthreadctl")
                    .parser(session.parser()).completer(new TreeCompleter(Main.commandLine().getCommandSpec()));
            historyFile().ifPresent(file -> builder.variable(LineReader.HISTORY_FILE, file));
            LineReader reader = builder.build();
            // Ctrl-C while a command runs (top, a wait) interrupts that command, not the shell:
            // JLine takes INT itself only while it reads a line.
            Thread shell = Thread.currentThread();
            terminal.handle(Terminal.Signal.INT, signal -> shell.interrupt());
            while (true) {
                String line;
                try {
                    line = reader.readLine("kthreadctl> ");
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    return 0;
                }
                List<String> words;
                try {
                    words = session.words(line);
                } catch (IllegalArgumentException e) {
                    out.println("kthreadctl: " + e.getMessage());
                    continue;
                }
                if (words.equals(List.of("exit")) || words.equals(List.of("quit"))) {
                    return 0;
                }
                if (!words.isEmpty()) {
                    session.run(words);
                }
                Thread.interrupted();
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /*
     * Where history survives the session, if it can be written there safely:
     * a guest's home may be read-only, and root (under sudo -E, say) may have
     * another user's XDG_STATE_HOME, where that user could have put a link
     * that makes root append to any file. So: no link, and the directory and
     * the one above it owned by whoever runs this, writable by nobody else.
     */
    private static Optional<Path> historyFile() {
        String state = System.getenv("XDG_STATE_HOME");
        Path dir = state != null && !state.isEmpty() ? Paths.get(state, "kthreadctl")
                : Paths.get(System.getProperty("user.home"), ".local", "state", "kthreadctl");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("history");
            String me = System.getProperty("user.name");
            for (Path each : List.of(dir, dir.getParent())) {
                if (Files.isSymbolicLink(each)
                        || !Files.getOwner(each, LinkOption.NOFOLLOW_LINKS).getName().equals(me)
                        || Files.getPosixFilePermissions(each, LinkOption.NOFOLLOW_LINKS).stream()
                                .anyMatch(p -> p == PosixFilePermission.GROUP_WRITE || p == PosixFilePermission.OTHERS_WRITE)) {
                    return Optional.empty();
                }
            }
            return Files.isSymbolicLink(file) || !Files.isWritable(dir) ? Optional.empty() : Optional.of(file);
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Tab completion from the command tree picocli already holds: commands, options and their values. */
    private static final class TreeCompleter implements Completer {
        private final CommandSpec tree;

        TreeCompleter(CommandSpec tree) {
            this.tree = tree;
        }

        @Override
        public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
            List<CharSequence> rests = new ArrayList<>();
            String[] words = line.words().toArray(String[]::new);
            AutoComplete.complete(tree, words, line.wordIndex(), line.wordCursor(), line.cursor(), rests);
            // picocli gives what follows the typed part of the word; JLine wants whole words.
            String typed = line.word().substring(0, line.wordCursor());
            for (CharSequence rest : rests) {
                candidates.add(new Candidate(typed + rest));
            }
        }
    }
}
