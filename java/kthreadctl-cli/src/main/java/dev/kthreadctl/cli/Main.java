// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.proc.ProcException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * The {@code kthreadctl} command line. Exit codes: 0 success, 1 the
 * operation failed, 2 a usage error. Errors are one line on stderr naming the
 * cause and the fix; {@code --debug} adds the stack trace.
 *
 * <p>Not thread-safe: picocli sets an instance's fields while it parses, and
 * each command line gets its own instance.
 */
public final class Main implements Runnable {
    /*
     * The subcommands, in the order --help lists them. They are registered
     * here rather than in @Command(subcommands = ...) so that one run builds
     * only the command it runs: picocli reflects over every registered
     * command's annotations up front, which is most of a short command's
     * start-up under an emulator.
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("list", ListCommand::new);
        commands.put("show", ShowCommand::new);
        commands.put("top", TopCommand::new);
        commands.put("create", ThreadCommands.Create::new);
        commands.put("run", ThreadCommands.Run::new);
        commands.put("wake", ThreadCommands.Wake::new);
        commands.put("stop", ThreadCommands.Stop::new);
        commands.put("park", ThreadCommands.Park::new);
        commands.put("unpark", ThreadCommands.Unpark::new);
        commands.put("bind", ThreadCommands.Bind::new);
        commands.put("nice", ThreadCommands.Nice::new);
        commands.put("fifo", ThreadCommands.Fifo::new);
        commands.put("normal", ThreadCommands.Normal::new);
        commands.put("status", StatusCommand::new);
        commands.put("verify", VerifyCommand::new);
        commands.put("check", CheckCommand::new);
        commands.put("doctor", DoctorCommand::new);
        commands.put("shell", ShellCommand::new);
        commands.put("batch", BatchCommand::new);
        commands.put("completion", CompletionCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        return Collections.unmodifiableMap(commands);
    }

    /** The one version of kthreadctl, from the parent pom through a filtered resource. */
    static final String VERSION = readVersion();

    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private CommandSpec spec;

    boolean debug;

    private Main() {
    }

    /**
     * Runs one command, then exits the JVM with its exit code.
     *
     * @param args the command and its arguments, e.g. {@code list --kind kworker}
     */
    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    /** The configured command line with every subcommand, for a long-lived JVM and for tests. */
    static CommandLine commandLine() {
        return configure(new CommandLine(rootSpec(new Main())), COMMANDS.keySet());
    }

    /**
     * The configured command line with just what {@code args} can run: the
     * named subcommand, or nothing for a bare {@code --version}. Everything
     * that shows or completes the set of commands (help, completion, an
     * unknown word, which gets suggestions) gets them all.
     */
    static CommandLine commandLine(String[] args) {
        return configure(new CommandLine(rootSpec(new Main())), commandsFor(args));
    }

    static Collection<String> commandsFor(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("-")) {
                // --help, -h, or -h among clustered short options (-hV)
                if (arg.equals("--help") || !arg.startsWith("--") && arg.indexOf('h') > 0) {
                    return COMMANDS.keySet();
                }
                continue;
            }
            boolean showsTheSet = arg.equals("help") || arg.equals("completion");
            return COMMANDS.containsKey(arg) && !showsTheSet ? List.of(arg) : COMMANDS.keySet();
        }
        return List.of();
    }

    /*
     * The top command, built in code where the subcommands have annotations.
     * Reading annotations makes the JVM generate a proxy class per annotation
     * type (picocli's, and the JDK's it meets on methods up to Object), which
     * no JDK 17 class-data archive can hold: for a bare --version that was a
     * fifth of the run. It says what @Command(name = "kthreadctl",
     * mixinStandardHelpOptions = true) and an inherited --debug would.
     */
    private static CommandSpec rootSpec(Main main) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(main).name("kthreadctl").versionProvider(new Version());
        spec.usageMessage().description(
                "Create, wake, park, bind, inspect and stop Linux kernel threads, and list the live ones.");
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
        spec.addOption(OptionSpec.builder("--debug").type(boolean.class).initialValue(false)
                .scopeType(ScopeType.INHERIT)
                .description("Show stack traces of errors.").setter(new DebugFlag(main)).getter(new DebugFlag(main))
                .build());
        main.spec = spec;
        return spec;
    }

    /* --debug, bound to the field as picocli binds an annotated one. */
    private record DebugFlag(Main main) implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) Boolean.valueOf(main.debug);
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            main.debug = (Boolean) value;
            return old;
        }
    }

    private static CommandLine configure(CommandLine commandLine, Collection<String> names) {
        for (String name : names) {
            commandLine.addSubcommand(name, COMMANDS.get(name).get());
        }
        return commandLine.setCaseInsensitiveEnumValuesAllowed(true)
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
        // A mistyped command or option gets picocli's nearest names, on the same line.
        List<String> suggestions = e instanceof CommandLine.UnmatchedArgumentException unmatched
                ? unmatched.getSuggestions() : List.of();
        commandLine.getErr().println("kthreadctl: " + e.getMessage() + " ("
                + (suggestions.isEmpty() ? "" : "did you mean " + String.join(", ", suggestions) + "? ")
                + "see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
        return EXIT_USAGE;
    }

    /* One line naming the cause and the fix; the library's messages carry both. */
    private static int reportFailure(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
        boolean debug = ((Main) commandLine.getCommandSpec().root().userObject()).debug;
        if (debug) {
            e.printStackTrace(commandLine.getErr());
        }
        if (e instanceof InterruptedException) {
            // Ctrl-C inside the shell: the command stops, the shell goes on.
            commandLine.getErr().println("kthreadctl: interrupted");
            return EXIT_FAILED;
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
