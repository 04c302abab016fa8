// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import dev.kthreadctl.proc.TaskId;
import dev.kthreadctl.verify.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Grades a kernel module that is to start kernel threads and stop them on
 * unload: loads it, watches its threads, unloads it, twice, and reads the
 * kernel log and taint flags around it. Runs as root, on the kernel it is
 * on: a module that oopses or hangs takes that kernel with it, so run it in
 * a throwaway machine ({@code make check} boots one).
 */
public final class ModuleChecker {
    /* How long threads that outlived rmmod get to wake up into the freed code and oops, before the log is read. */
    private static final long OUTLIVED_GRACE_MILLIS = 3000;
    /*
     * What counts as the build's first error, most specific first: the
     * compiler's "file:line:col: error:", modpost's "ERROR:", make's own
     * "***"; a bare word "error" (which a path may hold) only as a last resort.
     */
    private static final List<Pattern> BUILD_ERRORS = List.of(
            Pattern.compile("^\\S+:\\d+(:\\d+)?: (fatal )?error: "),
            Pattern.compile("^ERROR: "),
            Pattern.compile("^make(\\[\\d+\\])?: \\*\\*\\* "),
            Pattern.compile("\\berror\\b", Pattern.CASE_INSENSITIVE));
    private static final Pattern BUILD_WARNING = Pattern.compile("\\bwarning:");
    /* CAP_SYS_MODULE in include/uapi/linux/capability.h: what init_module and delete_module ask for. */
    private static final int CAP_SYS_MODULE = 16;

    private final CheckOptions options;

    /**
     * A checker for one module.
     *
     * @param options the module and how to judge it
     */
    public ModuleChecker(CheckOptions options) {
        this.options = options;
    }

    /**
     * Runs every check, handing each result to {@code listener} as it is known.
     *
     * @param listener gets the results in check order
     * @return the report
     * @throws IllegalStateException if this is not root, or a module of
     *         the same name is loaded already
     * @throws IllegalArgumentException if the module file cannot be read
     * @throws InterruptedException if interrupted; a module may be left loaded
     */
    public CheckReport run(Consumer<CheckResult> listener) throws InterruptedException {
        List<CheckResult> results = new ArrayList<>();
        Consumer<CheckResult> collect = result -> {
            results.add(result);
            listener.accept(result);
        };
        String kernel = kernelRelease();
        String shown = options.module().map(Path::toString).orElse("(did not build)");
        collect.accept(buildResult());
        if (options.module().isEmpty()) {
            for (Check check : Check.values()) {
                if (check != Check.BUILDS) {
                    collect.accept(CheckResult.notRun(check, "the module did not build"));
                }
            }
            return new CheckReport(shown, kernel, results, true);
        }
        Path module = options.module().get();
        String name = moduleName(module);
        requireReady(module, name);

        long taintBefore = Taint.read();
        KernelLog.Mark mark = KernelLog.mark();
        boolean clean;
        try (TaskWatch watch = new TaskWatch()) {
            LoadCycle.Outcome first = new LoadCycle(options, module, name, watch).run(collect);
            if (first.unloaded() && first.kernelThreadsOutlived()) {
                awaitEnd(watch, first.outlived());
            }
            // A module that never loaded leaves nothing behind; one that did must have gone cleanly.
            clean = !first.loaded() || first.unloaded() && !first.kernelThreadsOutlived();
            collect.accept(repeat(first, module, name, watch));
        }
        CheckResult health = health(mark, taintBefore);
        collect.accept(health);
        return new CheckReport(shown, kernel, results, clean && health.verdict() == Verdict.PASS);
    }

    private CheckResult buildResult() {
        if (!options.applies(Check.BUILDS)) {
            return CheckResult.skip(Check.BUILDS, "given a built module, not its source");
        }
        Path log = options.buildLog().get();
        List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build log " + log + ": " + e.getMessage(), e);
        }
        List<String> warnings = lines.stream().filter(line -> BUILD_WARNING.matcher(line).find()).toList();
        if (options.module().isPresent()) {
            List<String> evidence = new ArrayList<>(List.of("built with " + warnings.size() + " warning(s)"));
            warnings.stream().limit(3).forEach(evidence::add);
            return CheckResult.pass(Check.BUILDS, evidence);
        }
        Optional<String> error = BUILD_ERRORS.stream()
                .flatMap(pattern -> lines.stream().filter(line -> pattern.matcher(line).find()).limit(1))
                .findFirst();
        return CheckResult.fail(Check.BUILDS, "the build failed: " + error.orElse("no error line in " + log).strip(),
                List.of());
    }

    /* A second cycle, if the first left the kernel fit for one, with the first's verdicts to compare. */
    private CheckResult repeat(LoadCycle.Outcome first, Path module, String name, TaskWatch watch)
            throws InterruptedException {
        if (!first.loaded()) {
            return CheckResult.notRun(Check.REPEATABLE, "the module did not load");
        }
        if (!first.unloaded()) {
            return CheckResult.notRun(Check.REPEATABLE, "the first rmmod did not finish");
        }
        if (first.kernelThreadsOutlived()) {
            return CheckResult.notRun(Check.REPEATABLE, "kernel threads outlived the first rmmod: loading the"
                    + " module again could hand them new code to run");
        }
        LoadCycle.Outcome second = new LoadCycle(options, module, name, watch).run(result -> { });
        List<String> differences = new ArrayList<>();
        for (var entry : first.results().entrySet()) {
            CheckResult again = second.results().get(entry.getKey());
            Verdict before = entry.getValue().verdict();
            if (again == null || again.verdict() != before) {
                differences.add(entry.getKey().id() + ": " + before + " the first time, "
                        + (again == null ? "not run" : again.verdict() + ": " + again.reason()) + " the second");
            }
        }
        if (!differences.isEmpty()) {
            return CheckResult.fail(Check.REPEATABLE, "the second load and unload went otherwise", differences);
        }
        List<String> evidence = new ArrayList<>(List.of("loaded and unloaded again: the same verdicts"));
        CheckResult threads = second.results().get(Check.CREATES_THREADS);
        if (threads != null) {
            threads.evidence().forEach(line -> evidence.add("second time: " + line));
        }
        return CheckResult.pass(Check.REPEATABLE, evidence);
    }

    private static CheckResult health(KernelLog.Mark mark, long taintBefore) throws InterruptedException {
        List<String> logged = KernelLog.since(mark);
        List<String> complaints = KernelLog.complaints(logged);
        long taint = Taint.read();
        long added = taint & ~taintBefore & ~Taint.EXPECTED;
        List<String> evidence = new ArrayList<>(complaints);
        evidence.add("taint " + (taint == 0 ? "none" : Taint.letters(taint)) + " (before: "
                + (taintBefore == 0 ? "none" : Taint.letters(taintBefore)) + ")");
        List<String> problems = new ArrayList<>();
        if (!complaints.isEmpty()) {
            problems.add("the kernel logged " + complaints.get(0));
        }
        if (added != 0) {
            problems.add("taint " + Taint.letters(added) + " was added");
        }
        if (problems.isEmpty()) {
            evidence.add(0, "no complaint in the " + logged.size() + " line(s) the kernel logged");
            return CheckResult.pass(Check.KERNEL_HEALTHY, evidence);
        }
        return CheckResult.fail(Check.KERNEL_HEALTHY, String.join("; ", problems), evidence);
    }

    /*
     * A kernel thread that outlived its module sleeps in code that was
     * freed; when it wakes it oopses. Wait for that (a few seconds at
     * most), so that the kernel log read next holds it.
     */
    private static void awaitEnd(TaskWatch watch, List<TaskId> threads) throws InterruptedException {
        long deadline = System.nanoTime() + OUTLIVED_GRACE_MILLIS * 1_000_000;
        while (System.nanoTime() < deadline && threads.stream().anyMatch(id -> watch.alive(id).isPresent())) {
            Thread.sleep(100);
        }
        // The oops report is written after the task has gone: give it a moment.
        Thread.sleep(200);
    }

    private static void requireReady(Path module, String name) {
        if (!Files.isReadable(module) || Files.isDirectory(module)) {
            throw new IllegalArgumentException("cannot read the module " + module + ": give the path of a .ko file");
        }
        if (!hasCapability(CAP_SYS_MODULE)) {
            throw new IllegalStateException("check loads and unloads the module: run it as root (sudo kthreadctl check"
                    + " ...), in a machine you can lose, or use 'make check' for a throwaway guest");
        }
        if (loadedModules().contains(name)) {
            throw new IllegalStateException("a module named " + name + " is loaded already: rmmod " + name
                    + " first, or check in a fresh guest with 'make check'");
        }
    }

    /*
     * The name the kernel knows the module by, which rmmod wants: modinfo
     * reads it from the module (kbuild records it); else the file's name
     * without .ko, with - as _, as kbuild makes it.
     */
    static String moduleName(Path module) throws InterruptedException {
        Program modinfo = Program.run(Duration.ofSeconds(10), "modinfo", "-F", "name", module.toString());
        if (modinfo.succeeded() && modinfo.output().matches("\\w+")) {
            return modinfo.output();
        }
        String file = module.getFileName().toString();
        int dot = file.indexOf(".ko");
        return (dot > 0 ? file.substring(0, dot) : file).replace('-', '_');
    }

    private static List<String> loadedModules() {
        try {
            return Files.readAllLines(Path.of("/proc/modules")).stream().map(line -> line.split(" ", 2)[0]).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/modules: " + e.getMessage(), e);
        }
    }

    private static boolean hasCapability(int capability) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long effective = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (effective & 1L << capability) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no answer: let insmod say what it is missing
            return true;
        }
        return true;
    }

    private static String kernelRelease() {
        try {
            return Taint.sysctl(Path.of("/proc/sys/kernel/osrelease"));
        } catch (UncheckedIOException e) {
            return System.getProperty("os.version", "unknown").toLowerCase(Locale.ROOT);
        }
    }
}
