// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.check.Check;
import dev.kthreadctl.check.CheckOptions;
import dev.kthreadctl.check.CheckReport;
import dev.kthreadctl.check.CheckResult;
import dev.kthreadctl.check.ModuleChecker;
import dev.kthreadctl.verify.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Grade a module that should start kernel threads and stop them on unload: load it, watch"
                + " its threads, unload it, twice, and read the kernel log. Root only, on the running kernel:"
                + " a faulty module can oops or hang it, so use a machine you can lose ('make check' boots one).",
            "Checks: builds, loads, creates_threads, real_kthreads, woken, sleeps, stays_alive, unloads,"
                + " threads_gone, repeatable, kernel_healthy. Exit 0 only if none failed.",
            "KTAP (--ktap): one 'ok N name' or 'not ok N name' a check, after '#' lines with the evidence and"
                + " its points, and '# points X/Y' last. JSON (--json): {module, kernel, points, maxPoints, passed,"
                + " kernelLeftClean, checks: [{number, name, meaning, verdict, points, maxPoints, reason,"
                + " evidence}]}."})
final class CheckCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MODULE.ko", description = "The module to check.")
    private Path module;

    @Option(names = "--expect", paramLabel = "REGEX",
            description = "The threads' names must match this (the whole name); without it, every new kernel"
                    + " thread but kworkers counts.")
    private String expect;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "How many threads the module must start (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--allow-spin", description = "Let threads keep a CPU busy: the sleeps check is skipped.")
    private boolean allowSpin;

    @Option(names = "--max-cpu", paramLabel = "PERCENT", defaultValue = "20",
            description = "The share of a CPU from which a thread spins (default: ${DEFAULT-VALUE}).")
    private int maxCpu;

    @Option(names = "--window", paramLabel = "SECONDS", defaultValue = "2",
            description = "How long the threads are watched while loaded (default: ${DEFAULT-VALUE}).")
    private int window;

    @Option(names = "--unload-timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long insmod and rmmod may take (default: ${DEFAULT-VALUE}).")
    private int unloadTimeout;

    @Option(names = "--build-log", paramLabel = "FILE",
            description = "The log of the build that made MODULE.ko, for the builds check; without MODULE.ko,"
                    + " the build failed and nothing is loaded (make check SRC= passes it).")
    private Path buildLog;

    @ArgGroup(exclusive = true)
    private Format format = new Format();

    static final class Format {
        @Option(names = "--json", description = "Print one JSON document at the end.")
        boolean json;

        @Option(names = "--ktap", description = "Print KTAP, each check as it is known.")
        boolean ktap;
    }

    /* What --json prints: the report, with each check's number, name and meaning spelled out. */
    record JsonCheck(int number, String name, String meaning, Verdict verdict, int points, int maxPoints,
            String reason, List<String> evidence) {
    }

    record JsonReport(String module, String kernel, int points, int maxPoints, boolean passed,
            boolean kernelLeftClean, List<JsonCheck> checks) {
    }

    @Override
    public Integer call() throws InterruptedException {
        CheckOptions options = options();
        PrintWriter out = spec.commandLine().getOut();
        String shown = module == null ? "(the build failed)" : module.toString();
        Consumer<CheckResult> listener = result -> { };
        if (format.ktap) {
            out.println("KTAP version 1");
            out.println("# kthreadctl check " + Output.printable(shown));
            out.println("1.." + Check.values().length);
            // Lets a harness whose guest died part way still name the checks left and give a total.
            out.println("# checks: " + Arrays.stream(Check.values()).map(Check::id).collect(Collectors.joining(" ")));
            out.println("# points possible: " + options.possiblePoints());
            out.flush();
            listener = result -> ktap(out, result);
        } else if (!format.json) {
            out.println("kthreadctl check " + Output.printable(shown));
            out.flush();
            listener = result -> text(out, result);
        }
        CheckReport report = new ModuleChecker(options).run(listener);
        String total = "points " + report.points() + "/" + report.maxPoints();
        if (format.json) {
            Output.json(out, new JsonReport(report.module(), report.kernel(), report.points(), report.maxPoints(),
                    report.passed(), report.kernelLeftClean(),
                    report.results().stream().map(CheckCommand::json).toList()));
        } else if (format.ktap) {
            out.println("# kernel " + report.kernel());
            // What make check reads to give the next module a fresh guest.
            out.println("# kernel left clean: " + (report.kernelLeftClean() ? "yes" : "no"));
            out.println("# " + total);
        } else {
            out.printf("%ncheck on Linux %s: %s, %s%n", report.kernel(), total,
                    report.passed() ? "every check passed" : failed(report) + " failed");
        }
        out.flush();
        return report.passed() ? 0 : Main.EXIT_FAILED;
    }

    private CheckOptions options() {
        Optional<Pattern> pattern = Optional.empty();
        if (expect != null) {
            try {
                pattern = Optional.of(Pattern.compile(expect));
            } catch (PatternSyntaxException e) {
                throw new ParameterException(spec.commandLine(), "--expect is not a regular expression: "
                        + e.getDescription() + " in '" + expect + "'");
            }
        }
        if (module == null && buildLog == null) {
            throw new ParameterException(spec.commandLine(), "a module to check is needed, e.g. 'kthreadctl check"
                    + " hello.ko'");
        }
        if (window < 1 || unloadTimeout < 1) {
            throw new ParameterException(spec.commandLine(), "--window and --unload-timeout are whole seconds, 1 or"
                    + " more");
        }
        try {
            return new CheckOptions(Optional.ofNullable(module), Optional.ofNullable(buildLog), pattern, threads,
                    allowSpin, maxCpu, Duration.ofSeconds(window), Duration.ofSeconds(unloadTimeout));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static String failed(CheckReport report) {
        return report.results().stream().filter(r -> r.verdict() == Verdict.FAIL).map(r -> r.check().id())
                .reduce((a, b) -> a + ", " + b).orElse("");
    }

    private static void ktap(PrintWriter out, CheckResult result) {
        Check check = result.check();
        if (!result.reason().isEmpty() && result.verdict() != Verdict.SKIP) {
            out.println("# " + check.id() + ": " + Output.printable(result.reason()));
        }
        for (String fact : result.evidence()) {
            out.println("# " + check.id() + ": " + Output.printable(fact));
        }
        if (result.verdict() == Verdict.SKIP) {
            out.println("ok " + check.number() + " " + check.id() + " # SKIP " + Output.printable(result.reason()));
        } else {
            out.println("# " + check.id() + ": points " + result.points() + "/" + result.maxPoints());
            out.println((result.verdict() == Verdict.PASS ? "ok " : "not ok ") + check.number() + " " + check.id());
        }
        out.flush();
    }

    private static void text(PrintWriter out, CheckResult result) {
        Check check = result.check();
        String points = result.verdict() == Verdict.SKIP ? "" : " " + result.points() + "/" + result.maxPoints();
        out.printf("%2d %-4s %s%s%n", check.number(), result.verdict(), check.id(), points);
        out.printf("        means: %s%n", check.meaning());
        if (!result.reason().isEmpty()) {
            out.printf("        %s: %s%n", result.verdict() == Verdict.SKIP ? "skipped" : "failed",
                    Output.printable(result.reason()));
        }
        for (String fact : result.evidence()) {
            out.printf("        - %s%n", Output.printable(fact));
        }
        out.flush();
    }

    private static JsonCheck json(CheckResult result) {
        Check check = result.check();
        return new JsonCheck(check.number(), check.id(), check.meaning(), result.verdict(), result.points(),
                result.maxPoints(), result.reason(), result.evidence());
    }
}
