// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ProcStatus;
import dev.kthreadctl.proc.TaskId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One load, watch and unload of a module: the checks from {@link Check#LOADS}
 * to {@link Check#THREADS_GONE}.
 */
final class LoadCycle {
    /* How long a module's threads may take to show up after insmod returns. */
    private static final Duration APPEAR = Duration.ofSeconds(5);
    /* How long a stopped thread may take to leave /proc after rmmod returns. */
    private static final Duration VANISH = Duration.ofSeconds(1);
    private static final long SAMPLE_MILLIS = 250;
    /* USER_HZ: the unit of the CPU times in /proc/PID/stat, 100 on every Linux architecture kthreadctl runs on. */
    private static final long TICKS_PER_SECOND = 100;
    /* PF_EXITING in include/linux/sched.h: set as a task begins to exit. */
    private static final long PF_EXITING = 0x4;

    /**
     * What one cycle found.
     *
     * @param results the verdict of each check of the cycle
     * @param loaded whether insmod succeeded
     * @param unloaded whether rmmod then succeeded within the bound
     * @param kernelThreadsOutlived whether kernel threads of the module were
     *                              still there after rmmod returned
     * @param outlived the threads still there after rmmod
     */
    record Outcome(Map<Check, CheckResult> results, boolean loaded, boolean unloaded, boolean kernelThreadsOutlived,
            List<TaskId> outlived) {
    }

    /* One look at a thread: its stat and its context switches so far (-1 if the kernel does not say). */
    private record Sample(ProcStat stat, long contextSwitches) {
        long cpuTicks() {
            return stat.utimeTicks() + stat.stimeTicks();
        }
    }

    private final CheckOptions options;
    private final Path module;
    private final String moduleName;
    private final TaskWatch watch;
    private final Map<Check, CheckResult> results = new EnumMap<>(Check.class);
    private Consumer<CheckResult> listener = result -> { };

    LoadCycle(CheckOptions options, Path module, String moduleName, TaskWatch watch) {
        this.options = options;
        this.module = module;
        this.moduleName = moduleName;
        this.watch = watch;
    }

    Outcome run(Consumer<CheckResult> resultListener) throws InterruptedException {
        this.listener = resultListener;
        Optional<List<ProcStat>> loadedThreads = load();
        if (loadedThreads.isEmpty()) {
            return new Outcome(results, false, false, false, List.of());
        }
        List<ProcStat> threads = loadedThreads.get();
        if (threads.isEmpty()) {
            for (Check check : List.of(Check.REAL_KTHREADS, Check.WOKEN, Check.SLEEPS, Check.STAYS_ALIVE)) {
                add(CheckResult.notRun(check, "no thread appeared"));
            }
        } else {
            checkKinds(threads);
            watchWindow(threads);
        }
        return unload(threads);
    }

    private void add(CheckResult result) {
        results.put(result.check(), result);
        listener.accept(result);
    }

    private void notRunFrom(Check first, String why) {
        for (Check check : Check.values()) {
            if (check.compareTo(first) >= 0 && check.compareTo(Check.THREADS_GONE) <= 0) {
                add(CheckResult.notRun(check, why));
            }
        }
    }

    /** insmod, then the threads that appeared; empty if the module did not load. */
    private Optional<List<ProcStat>> load() throws InterruptedException {
        var before = watch.snapshot();
        KernelLog.Mark mark = KernelLog.mark();
        long started = System.nanoTime();
        Program insmod = Program.run(options.unloadTimeout(), "insmod", module.toString());
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<String> complaints = KernelLog.complaints(KernelLog.since(mark));
        if (!insmod.finished()) {
            add(CheckResult.fail(Check.LOADS, "insmod still waits after " + options.unloadTimeout().toSeconds()
                    + " s: the module's init function does not return", complaints));
            notRunFrom(Check.CREATES_THREADS, "the module did not finish loading");
            return Optional.empty();
        }
        if (insmod.exitCode() != 0) {
            List<String> evidence = new ArrayList<>(List.of("insmod: " + insmod.output()));
            evidence.addAll(complaints);
            add(CheckResult.fail(Check.LOADS, "insmod failed (exit " + insmod.exitCode() + ")", evidence));
            notRunFrom(Check.CREATES_THREADS, "the module did not load");
            return Optional.empty();
        }
        String done = "insmod " + module.getFileName() + ": loaded in " + millis + " ms";
        if (complaints.isEmpty()) {
            add(CheckResult.pass(Check.LOADS, List.of(done)));
        } else {
            List<String> evidence = new ArrayList<>(List.of(done));
            evidence.addAll(complaints);
            add(CheckResult.fail(Check.LOADS, "the kernel complained while the module loaded", evidence));
        }
        List<ProcStat> threads = awaitThreads(before);
        List<String> evidence = threads.stream().map(TaskWatch::describe).toList();
        String named = options.expect().map(pattern -> " named like /" + pattern.pattern() + "/").orElse("");
        if (threads.size() >= options.threads()) {
            add(CheckResult.pass(Check.CREATES_THREADS, evidence));
        } else if (threads.isEmpty()) {
            add(CheckResult.fail(Check.CREATES_THREADS, "no new kernel thread" + named + " appeared within "
                    + APPEAR.toSeconds() + " s", evidence));
        } else {
            add(CheckResult.fail(Check.CREATES_THREADS, threads.size() + " thread(s)" + named + " appeared, not "
                    + options.threads(), evidence));
        }
        return Optional.of(threads);
    }

    private List<ProcStat> awaitThreads(java.util.Set<TaskId> before) throws InterruptedException {
        long deadline = System.nanoTime() + APPEAR.toNanos();
        List<ProcStat> found = watch.newTasks(before, options.expect());
        while (found.size() < options.threads() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = watch.newTasks(before, options.expect());
        }
        if (!found.isEmpty()) {
            // Threads a module starts one after another: give the next ones a moment.
            Thread.sleep(100);
            List<ProcStat> again = watch.newTasks(before, options.expect());
            found = again.size() >= found.size() ? again : found;
        }
        return found;
    }

    private void checkKinds(List<ProcStat> threads) {
        List<String> evidence = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        for (ProcStat thread : threads) {
            Optional<ProcStatus> status = watch.status(thread);
            boolean kthread = status.flatMap(ProcStatus::kthread).orElse(thread.isKernelThread());
            boolean addressSpace = status.map(ProcStatus::hasVm).orElse(false);
            List<String> problems = new ArrayList<>();
            if (!kthread) {
                problems.add("no PF_KTHREAD: a user process");
            }
            if (thread.ppid() != TaskWatch.KTHREADD) {
                problems.add("its parent is pid " + thread.ppid() + ", not kthreadd");
            }
            if (addressSpace) {
                problems.add("it has an address space of its own (mm)");
            }
            if (problems.isEmpty()) {
                evidence.add(TaskWatch.describe(thread) + ": PF_KTHREAD, parent kthreadd, no address space");
            } else {
                String line = TaskWatch.describe(thread) + ": " + String.join("; ", problems)
                        + (kthread ? "" : ", as made by a user-mode helper or fork, not kthread_create()");
                evidence.add(line);
                wrong.add(thread.name());
            }
        }
        add(wrong.isEmpty() ? CheckResult.pass(Check.REAL_KTHREADS, evidence)
                : CheckResult.fail(Check.REAL_KTHREADS, "not a kernel thread: " + String.join(", ", wrong), evidence));
    }

    /** Watches the threads for the window: were they woken, do they sleep, do they stay. */
    private void watchWindow(List<ProcStat> threads) throws InterruptedException {
        Map<TaskId, Sample> first = new LinkedHashMap<>();
        Map<TaskId, StringBuilder> states = new LinkedHashMap<>();
        for (ProcStat thread : threads) {
            TaskId id = TaskId.of(thread);
            sample(id).ifPresent(sample -> first.put(id, sample));
            states.put(id, new StringBuilder());
        }
        long start = System.nanoTime();
        long windowNanos = options.window().toNanos();
        while (System.nanoTime() - start < windowNanos) {
            Thread.sleep(Math.min(SAMPLE_MILLIS, Math.max(1, (windowNanos - (System.nanoTime() - start)) / 1_000_000)));
            for (Map.Entry<TaskId, StringBuilder> entry : states.entrySet()) {
                entry.getValue().append(watch.alive(entry.getKey()).map(ProcStat::state).orElse('-'));
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<TaskId, Optional<Sample>> last = new LinkedHashMap<>();
        for (ProcStat thread : threads) {
            last.put(TaskId.of(thread), sample(TaskId.of(thread)));
        }

        List<String> woken = new ArrayList<>();
        List<String> sleeping = new ArrayList<>();
        List<String> alive = new ArrayList<>();
        List<String> neverWoken = new ArrayList<>();
        List<String> spinning = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        for (ProcStat thread : threads) {
            TaskId id = TaskId.of(thread);
            String name = TaskWatch.describe(thread);
            Sample before = first.get(id);
            Optional<Sample> after = last.get(id);
            if (before == null || after.isEmpty()) {
                // Only a thread that ran can end: one never woken waits for good.
                woken.add(name + ": ran, and ended during the window");
                sleeping.add(name + ": ended during the window");
                alive.add(name + ": ended during the window, while the module was loaded");
                gone.add(thread.name());
                continue;
            }
            long ticks = after.get().cpuTicks() - before.cpuTicks();
            long switches = before.contextSwitches() < 0 ? 0 : after.get().contextSwitches() - before.contextSwitches();
            String seen = states.get(id).toString();
            Optional<String> wchan = watch.wchan(id);
            String waits = wchan.map(function -> ", waits in " + function).orElse("");
            boolean neverRan = !seen.isEmpty() && seen.chars().allMatch(state -> state == 'D') && ticks == 0
                    && switches == 0 && wchan.map("kthread"::equals).orElse(true);
            if (neverRan) {
                neverWoken.add(thread.name());
                woken.add(name + ": in state D all " + String.format("%.1f", seconds)
                        + " s with no context switch" + waits + ": created, never woken (no wake_up_process())");
            } else {
                woken.add(name + ": runs: " + switches + " context switch(es) in " + String.format("%.1f", seconds)
                        + " s, states " + seen + waits);
            }
            long percent = Math.round(ticks * 100.0 / TICKS_PER_SECOND / seconds);
            String use = name + ": " + percent + "% of a CPU over " + String.format("%.1f", seconds) + " s" + waits;
            sleeping.add(use);
            if (percent >= options.maxCpuPercent()) {
                spinning.add(thread.name() + " (" + percent + "%)");
            }
            alive.add(name + ": alive after " + String.format("%.1f", seconds) + " s, state " + after.get().stat().state());
        }
        add(neverWoken.isEmpty() ? CheckResult.pass(Check.WOKEN, woken)
                : CheckResult.fail(Check.WOKEN, "never woken: " + String.join(", ", neverWoken)
                        + " (kthread_create() makes a thread that waits until wake_up_process(); kthread_run() does both)",
                        woken));
        if (!options.applies(Check.SLEEPS)) {
            add(CheckResult.skip(Check.SLEEPS, "--allow-spin: threads may keep a CPU busy"
                    + (spinning.isEmpty() ? "" : "; " + String.join(", ", spinning) + " did")));
        } else {
            add(spinning.isEmpty() ? CheckResult.pass(Check.SLEEPS, sleeping)
                    : CheckResult.fail(Check.SLEEPS, "spins: " + String.join(", ", spinning) + " of a CPU, "
                            + options.maxCpuPercent() + "% allowed: sleep while waiting (msleep_interruptible,"
                            + " wait_event_interruptible, schedule_timeout)", sleeping));
        }
        add(gone.isEmpty() ? CheckResult.pass(Check.STAYS_ALIVE, alive)
                : CheckResult.fail(Check.STAYS_ALIVE, "ended while the module was loaded: " + String.join(", ", gone)
                        + " (a thread function that returns early leaves kthread_stop() a thread that is gone)",
                        alive));
    }

    private Optional<Sample> sample(TaskId id) {
        Optional<ProcStat> stat = watch.alive(id);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        long switches = watch.status(stat.get()).map(status -> status.voluntaryContextSwitches().orElse(-1)
                + status.nonvoluntaryContextSwitches().orElse(0)).orElse(-1L);
        return Optional.of(new Sample(stat.get(), switches));
    }

    private Outcome unload(List<ProcStat> threads) throws InterruptedException {
        long started = System.nanoTime();
        Program rmmod = Program.run(options.unloadTimeout(), "rmmod", moduleName);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!rmmod.finished()) {
            List<String> evidence = new ArrayList<>();
            evidence.add("rmmod (pid " + rmmod.pid() + ") waits in " + stackOf(rmmod.pid()));
            for (ProcStat thread : threads) {
                TaskId id = TaskId.of(thread);
                if (watch.alive(id).isPresent()) {
                    evidence.add(TaskWatch.describe(thread) + " still runs and " + watch.waitsIn(id)
                            + ": a loop that never checks kthread_should_stop() leaves kthread_stop() waiting for good");
                }
            }
            add(CheckResult.fail(Check.UNLOADS, "rmmod still waits after " + options.unloadTimeout().toSeconds()
                    + " s, in state D, and will not return", evidence));
        } else if (rmmod.exitCode() != 0) {
            add(CheckResult.fail(Check.UNLOADS, "rmmod failed (exit " + rmmod.exitCode() + ")",
                    List.of("rmmod: " + rmmod.output())));
        } else {
            add(CheckResult.pass(Check.UNLOADS, List.of("rmmod " + moduleName + ": unloaded in " + millis + " ms")));
        }
        List<TaskId> outlived = new ArrayList<>();
        boolean kernelThreadsOutlived = false;
        if (threads.isEmpty()) {
            add(CheckResult.notRun(Check.THREADS_GONE, "no thread appeared"));
        } else {
            List<String> evidence = new ArrayList<>();
            for (ProcStat thread : awaitGone(threads)) {
                TaskId id = TaskId.of(thread);
                outlived.add(id);
                kernelThreadsOutlived |= thread.isKernelThread();
                evidence.add(TaskWatch.describe(thread) + " is still there and " + watch.waitsIn(id)
                        + (thread.isKernelThread() && rmmod.succeeded()
                                ? ": module_exit did not stop it, and it runs the module's code, now freed" : ""));
            }
            if (outlived.isEmpty()) {
                add(CheckResult.pass(Check.THREADS_GONE, List.of(threads.size() + " thread(s) gone after rmmod")));
            } else {
                add(CheckResult.fail(Check.THREADS_GONE, outlived.size() + " of " + threads.size()
                        + " thread(s) outlived rmmod" + (rmmod.finished() ? "" : ", which has not returned"), evidence));
            }
        }
        return new Outcome(results, true, rmmod.succeeded(), kernelThreadsOutlived, outlived);
    }

    /*
     * kthread_stop() returns once the thread has begun to exit: PF_EXITING
     * is set by then, and the task leaves /proc a moment later. A thread
     * still there without it right after rmmod was not stopped, whatever
     * state it is in (one that spins runs into the freed code at once, and
     * may be gone in an oops by the next look). Others get a second to go.
     */
    private List<ProcStat> awaitGone(List<ProcStat> threads) throws InterruptedException {
        List<ProcStat> notStopped = new ArrayList<>();
        for (ProcStat thread : threads) {
            watch.alive(TaskId.of(thread)).filter(stat -> (stat.flags() & PF_EXITING) == 0)
                    .ifPresent(stat -> notStopped.add(thread));
        }
        long deadline = System.nanoTime() + VANISH.toNanos();
        List<ProcStat> left = threads;
        do {
            left = left.stream().filter(thread -> watch.alive(TaskId.of(thread)).isPresent()).toList();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        List<ProcStat> outlived = new ArrayList<>(notStopped);
        left.stream().filter(thread -> !notStopped.contains(thread)).forEach(outlived::add);
        return outlived;
    }

    /* The kernel functions a stuck task waits in, innermost first, from /proc/PID/stack (root only). */
    private static String stackOf(long pid) {
        try {
            List<String> frames = Files.readAllLines(Path.of("/proc", Long.toString(pid), "stack")).stream()
                    .map(line -> line.replaceFirst("^\\[<[0-9a-f]+>\\] ", "").replaceFirst("\\+0x.*", ""))
                    .filter(frame -> !frame.startsWith("__schedule") && !frame.equals("schedule"))
                    .limit(4).toList();
            return frames.isEmpty() ? "the kernel" : String.join(" < ", frames);
        } catch (IOException e) {
            return "the kernel (its stack is not readable: " + e.getMessage() + ")";
        }
    }
}
