// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.proc.ProcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code kthreadctl} command line. Exit codes: 0 success, 1 the
 * operation failed, 2 a usage error. Errors are one line on stderr naming the
 * cause and the fix; {@code --debug} adds the stack trace.
 *
 * <p>Not thread-safe: picocli sets an instance's fields while it parses, and
 * each command line gets its own instance.
 */
@Command(name = "kthreadctl", mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Create, wake, park, bind, inspect and stop Linux kernel threads, and list the live ones.",
        subcommands = {ListCommand.class, ShowCommand.class, TopCommand.class,
            ThreadCommands.Create.class, ThreadCommands.Run.class, ThreadCommands.Wake.class,
            ThreadCommands.Stop.class, ThreadCommands.Park.class, ThreadCommands.Unpark.class,
            ThreadCommands.Bind.class, ThreadCommands.Nice.class, ThreadCommands.Fifo.class,
            ThreadCommands.Normal.class, StatusCommand.class, VerifyCommand.class, DoctorCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** The one version of kthreadctl, from the parent pom through a filtered resource. */
    static final String VERSION = readVersion();

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean debug;

    private Main() {
    }

    /**
     * Runs one command, then exits the JVM with its exit code.
     *
     * @param args the command and its arguments, e.g. {@code list --kind kworker}
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for main and for tests. */
    static CommandLine commandLine() {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(Main::reportUsageError)
                .setExecutionExceptionHandler(Main::reportFailure);
    }

    private static String readVersion() {
        Properties properties = new Properties();
        try (InputStream in = Main.class.getResourceAsStream("kthreadctl-version.properties")) {
            if (in == null) {
                throw new IllegalStateException("kthreadctl-version.properties is missing from the build");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("version");
    }

    /* Without a subcommand there is nothing to do: say what there is. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed, e.g. 'kthreadctl list'");
    }

    /* A usage error: one line, and where the usage is. */
    private static int reportUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        boolean debug = ((Main) commandLine.getCommandSpec().root().userObject()).debug;
        if (debug) {
            e.printStackTrace(commandLine.getErr());
        }
        commandLine.getErr().println("kthreadctl: " + e.getMessage() + " (see '"
                + commandLine.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_USAGE;
    }

    /* One line naming the cause and the fix; the library's messages carry both. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        boolean debug = ((Main) commandLine.getCommandSpec().root().userObject()).debug;
        if (debug) {
            e.printStackTrace(commandLine.getErr());
        }
        if (e instanceof KthreadctlException || e instanceof ProcException || e instanceof IllegalArgumentException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException) {
            commandLine.getErr().println("kthreadctl: " + e.getMessage());
            return EXIT_FAILED;
        }
        commandLine.getErr().println("kthreadctl: unexpected " + e + (debug ? "" : " (--debug shows where)"));
        return EXIT_FAILED;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kthreadctl " + VERSION + " (module ABI " + KthreadDevice.ABI_VERSION + ")"};
        }
    }
}
