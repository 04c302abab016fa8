package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadctlException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kthreadctl} command line. */
@Command(name = "kthreadctl", mixinStandardHelpOptions = true, version = "kthreadctl " + Main.VERSION,
        description = "Create, wake, inspect and stop Linux kernel threads, and list the live ones.",
        subcommands = {ListCommand.class, CreateCommand.class, WakeCommand.class, StopCommand.class,
            InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    static final String VERSION = "0.1.0";

    static final int EXIT_FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::reportFailure)
                .execute(args);
    }

    /* One line naming the cause and the fix; the library's messages carry both. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        if (e instanceof KthreadctlException || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("kthreadctl: " + e.getMessage());
            return EXIT_FAILED;
        }
        throw new IllegalStateException(e);
    }
}
