// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.KworkerSighting;
import dev.kthreadctl.device.Lifecycle;
import dev.kthreadctl.device.ModuleNotLoadedException;
import dev.kthreadctl.device.ThreadInfo;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.WorkKind;
import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KernelThreads;
import dev.kthreadctl.proc.KthreadKind;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ProcStatus;
import dev.kthreadctl.proc.TaskFlag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Checks each claim of the seed text on the running kernel, through the
 * module and /proc. Every experiment stops the threads it made, also when it
 * fails; a shutdown hook stops them if the run is interrupted. Claim 11
 * unloads the module, so it runs last and loads the module again from
 * {@code modulePath}.
 *
 * <p>Not thread-safe: run one verification at a time. Its experiments create
 * and stop kernel threads and claim 11 unloads the module, so runs that
 * overlap, in this process or another, disturb each other.
 */
public final class SeedVerifier {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int KTHREADD = 2;

    private final ProcScanner proc = new ProcScanner();
    private final Optional<Path> modulePath;
    private final Set<Long> live = ConcurrentHashMap.newKeySet();

    /** @param modulePath the module to load again after claim 11 unloads it; without it, claim 11 is skipped */
    public SeedVerifier(Optional<Path> modulePath) {
        this.modulePath = modulePath;
    }

    /**
     * Runs every claim's experiment, in claim order. Claims that need the
     * module are skipped if it cannot be opened.
     *
     * @return each claim's result, with the kernel release and module version
     */
    public VerifyReport run() {
        String module = "";
        KthreadDevice device = null;
        String noDevice = null;
        try {
            device = KthreadDevice.open();
            module = device.version().toString();
        } catch (ModuleNotLoadedException e) {
            noDevice = "the kthreadctl module is not loaded (load it with insmod, or use make shell)";
        } catch (KthreadctlException e) {
            noDevice = e.getMessage();
        }
        Thread cleanup = new Thread(this::stopLeftovers, "kthreadctl-verify-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        List<ClaimResult> results = new ArrayList<>();
        try {
            for (Claim claim : Claim.ALL) {
                if (claim.number() == 11) {
                    if (device != null) {
                        closeQuietly(device);
                        device = null;
                    }
                    results.add(noDevice != null ? skip(claim, noDevice) : claim11(claim));
                } else if (claim.needsModule() && noDevice != null) {
                    results.add(skip(claim, noDevice));
                } else {
                    results.add(check(claim, Optional.ofNullable(device)));
                }
            }
        } finally {
            if (device != null) {
                closeQuietly(device);
            }
            stopLeftovers();
            Runtime.getRuntime().removeShutdownHook(cleanup);
            proc.close();
        }
        return new VerifyReport(System.getProperty("os.version"), module, results);
    }

    private static ClaimResult skip(Claim claim, String reason) {
        return new ClaimResult(claim, Verdict.SKIP, reason, List.of());
    }

    /** What one experiment saw; the first failed check is the verdict's reason. */
    private static final class Experiment {
        final List<String> evidence = new ArrayList<>();
        String failure;

        void check(boolean holds, String fact) {
            evidence.add((holds ? "" : "NOT: ") + fact);
            if (!holds && failure == null) {
                failure = fact;
            }
        }

        void note(String fact) {
            evidence.add(fact);
        }
    }

    private ClaimResult check(Claim claim, Optional<KthreadDevice> device) {
        Experiment e = new Experiment();
        try {
            switch (claim.number()) {
                case 1 -> claim1(e, device);
                case 2 -> claim2(e, device.orElseThrow());
                case 3 -> claim3(e);
                case 4 -> claim4(e, device.orElseThrow());
                case 5 -> claim5(e, device);
                case 6 -> claim6(e, device.orElseThrow());
                case 7 -> claim7(e, device.orElseThrow());
                case 8 -> claim8(e, device.orElseThrow());
                case 9 -> claim9(e, device.orElseThrow());
                case 10 -> claim10(e, device.orElseThrow());
                default -> throw new IllegalStateException("no experiment for claim " + claim.number());
            }
        } catch (IOException | RuntimeException ex) {
            e.check(false, "the experiment failed: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            e.check(false, "interrupted");
        } finally {
            device.ifPresent(this::stopOwn);
        }
        return new ClaimResult(claim, e.failure == null ? Verdict.PASS : Verdict.FAIL,
                e.failure == null ? "" : e.failure, e.evidence);
    }

    private CreatedThread create(KthreadDevice device, ThreadSpec spec, boolean run) throws KthreadctlException {
        CreatedThread thread = run ? device.run(spec) : device.create(spec);
        live.add(thread.id());
        return thread;
    }

    private void stopOwn(KthreadDevice device) {
        for (Long id : List.copyOf(live)) {
            try {
                device.stop(id);
            } catch (KthreadctlException alreadyGone) {
                // stopped by the experiment itself
            }
            live.remove(id);
        }
    }

    private void stopLeftovers() {
        if (live.isEmpty()) {
            return;
        }
        try (KthreadDevice device = KthreadDevice.open()) {
            stopOwn(device);
        } catch (KthreadctlException e) {
            // the module is gone, and its threads with it
        }
    }

    private static ThreadSpec spec(int claim) {
        return ThreadSpec.named("kt-verify-" + claim).withPeriod(Duration.ofMillis(20));
    }

    private ProcStat stat(int pid) {
        return proc.stat(pid).orElseThrow(() -> new IllegalStateException("pid " + pid + " vanished"));
    }

    private ProcStatus status(int pid) {
        return proc.status(pid).orElseThrow(() -> new IllegalStateException("pid " + pid + " vanished"));
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static long iterations(KthreadDevice device, long id) {
        try {
            return device.info(id).iterations();
        } catch (KthreadctlException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String cmdline(int pid) throws IOException {
        return new String(Files.readAllBytes(Paths.get("/proc", Integer.toString(pid), "cmdline")),
                StandardCharsets.UTF_8);
    }

    private void describeKernelThread(Experiment e, ProcStat stat) throws IOException {
        String who = stat.name() + " (pid " + stat.pid() + ")";
        e.check(stat.ppid() == KTHREADD, who + ": parent is " + stat.ppid() + (stat.ppid() == KTHREADD ? " (kthreadd)" : ""));
        e.check(stat.isKernelThread(), who + ": PF_KTHREAD " + (stat.isKernelThread() ? "set" : "clear")
                + " in flags 0x" + Long.toHexString(stat.flags()));
        e.check(cmdline(stat.pid()).isEmpty(), who + ": /proc/" + stat.pid() + "/cmdline is empty");
        e.check(!status(stat.pid()).hasVm(), who + ": no Vm* lines in /proc/" + stat.pid() + "/status");
    }

    private void claim1(Experiment e, Optional<KthreadDevice> device) throws IOException, InterruptedException {
        KernelThreads threads = KernelThreads.of(proc.scan());
        KernelThread softirq = threads.ofKind(KthreadKind.KSOFTIRQD).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("no ksoftirqd found"));
        describeKernelThread(e, softirq.stat());
        e.check(threads.notUnderKthreadd().stream().allMatch(t -> t.stat().pid() == KTHREADD),
                "all " + threads.all().size() + " kernel threads but kthreadd are children of kthreadd");
        if (device.isPresent()) {
            CreatedThread ours = create(device.get(), spec(1), true);
            describeKernelThread(e, stat(ours.pid()));
        }
    }

    private void claim2(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(2), true);
        long before = iterations(device, thread.id());
        Thread.sleep(1000);
        // An emulator can stall the thread's CPU past the second: wait for the count to move, up to WAIT.
        long[] after = {iterations(device, thread.id())};
        await(() -> (after[0] = iterations(device, thread.id())) > before);
        e.check(after[0] > before, "kt-verify-2 (pid " + thread.pid() + ") did " + (after[0] - before)
                + " iterations in 1 s or more while no process called into it");
        ProcStat stat = stat(thread.pid());
        e.check(stat.ppid() == KTHREADD, "its parent is kthreadd, not the process that asked for it");
        // No check on utime against stime: /proc splits the run time between them by sampled ticks.
        e.note("CPU time so far: " + (stat.utimeTicks() + stat.stimeTicks()) + " ticks");
    }

    private void claim3(Experiment e) throws IOException {
        List<Integer> online = onlineCpus();
        List<KernelThread> softirqs = KernelThreads.of(proc.scan()).ofKind(KthreadKind.KSOFTIRQD);
        e.check(softirqs.size() == online.size(), softirqs.size() + " ksoftirqd threads for " + online.size()
                + " online CPUs " + online);
        for (KernelThread thread : softirqs) {
            int cpu = thread.name().cpu().orElse(-1);
            String allowed = status(thread.stat().pid()).cpusAllowedList();
            e.check(allowed.equals(Integer.toString(cpu)) && online.contains(cpu),
                    thread.stat().name() + " (pid " + thread.stat().pid() + ") may run only on CPU " + allowed);
        }
    }

    private void claim4(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(4).withWork(WorkKind.WORKQUEUE).boundTo(0), true);
        e.check(await(() -> info(device, thread.id()).kworker().isPresent()),
                "kt-verify-4 queued work items on the per-CPU system workqueue (schedule_work) from CPU 0");
        Optional<KworkerSighting> kworker = info(device, thread.id()).kworker();
        if (kworker.isEmpty()) {
            return;
        }
        KworkerSighting seen = kworker.get();
        e.check(seen.comm().startsWith("kworker/"), "they ran on " + seen.comm() + " (pid " + seen.pid()
                + "), " + seen.workItemsRun() + " items so far");
        proc.stat(seen.pid()).ifPresent(stat -> {
            e.check(stat.isKernelThread() && TaskFlag.PF_WQ_WORKER.isSetIn(stat.flags()),
                    "pid " + seen.pid() + " is a kernel thread with PF_WQ_WORKER; /proc calls it " + stat.name());
        });
    }

    private static ThreadInfo info(KthreadDevice device, long id) {
        try {
            return device.info(id);
        } catch (KthreadctlException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void claim5(Experiment e, Optional<KthreadDevice> device) throws IOException, InterruptedException {
        int self = (int) ProcessHandle.current().pid();
        e.check(status(self).hasVm() && !maps(self).isEmpty(),
                "a user task for contrast, this JVM (pid " + self + "): Vm* lines and " + maps(self).lines().count()
                        + " mappings");
        int kernelPid;
        if (device.isPresent()) {
            CreatedThread thread = create(device.get(), spec(5), true);
            e.check(await(() -> info(device.get(), thread.id()).ranFunction()), "kt-verify-5 ran its function");
            ThreadInfo info = info(device.get(), thread.id());
            e.check(info.sawNoMm(), "inside kt-verify-5, current->mm == NULL");
            e.check(info.sawPfKthread(), "inside kt-verify-5, PF_KTHREAD is set in current->flags");
            kernelPid = thread.pid();
        } else {
            e.note("current->mm seen from inside: not checked, the module is not loaded");
            kernelPid = KernelThreads.of(proc.scan()).ofKind(KthreadKind.KSOFTIRQD).get(0).stat().pid();
        }
        e.check(!status(kernelPid).hasVm(), "pid " + kernelPid + ": no Vm* lines in /proc/" + kernelPid + "/status");
        e.check(maps(kernelPid).isEmpty(), "pid " + kernelPid + ": /proc/" + kernelPid + "/maps is empty");
    }

    private static String maps(int pid) throws IOException {
        return Files.readString(Paths.get("/proc", Integer.toString(pid), "maps"));
    }

    private void claim6(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(6), false);
        e.check(stat(thread.pid()).state() == 'D', "kt-verify-6 (pid " + thread.pid() + ") exists, state "
                + stat(thread.pid()).state());
        Thread.sleep(500);
        long iterations = iterations(device, thread.id());
        e.check(iterations == 0, iterations + " iterations after 0.5 s: its function has not run");
        e.check(!info(device, thread.id()).ranFunction(), "the module saw its function never start");
    }

    private void claim7(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(7), false);
        Thread.sleep(200);
        e.check(iterations(device, thread.id()) == 0, "before wake_up_process: 0 iterations");
        device.wake(thread.id());
        e.check(await(() -> iterations(device, thread.id()) >= 5), "after wake_up_process: "
                + iterations(device, thread.id()) + " iterations, state " + stat(thread.pid()).state());
    }

    private void claim8(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(8), true);
        e.check(await(() -> iterations(device, thread.id()) >= 5), "kthread_run: " + iterations(device, thread.id())
                + " iterations with no separate wake");
        e.check(!device.wake(thread.id()).started(), "a later wake finds it already started");
    }

    private void claim9(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(9).withPeriod(Duration.ofMillis(500)).withExitValue(42), true);
        e.check(await(() -> iterations(device, thread.id()) >= 1), "kt-verify-9 runs, sleeping 500 ms per iteration");
        e.check(Files.exists(Paths.get("/proc", Integer.toString(thread.pid()))), "before the stop its pid is in /proc");
        long start = System.nanoTime();
        int value = device.stop(thread.id());
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        live.remove(thread.id());
        e.check(value == 42, "kthread_stop returned " + value + ", the value its function returned (42)");
        e.note("it took " + ms + " ms: the stop woke the thread from its 500 ms sleep, then waited for it to return");
        e.check(await(() -> !Files.exists(Paths.get("/proc", Integer.toString(thread.pid())))),
                "after the stop pid " + thread.pid() + " is gone");
    }

    private void claim10(Experiment e, KthreadDevice device) throws IOException, InterruptedException {
        CreatedThread thread = create(device, spec(10), true);
        // Twice the count moves on: waited for, not slept on, since an emulator can stall a CPU for a while.
        long a = iterations(device, thread.id());
        long[] b = {a};
        await(() -> (b[0] = iterations(device, thread.id())) > a);
        long[] c = {b[0]};
        await(() -> (c[0] = iterations(device, thread.id())) > b[0]);
        e.check(a < b[0] && b[0] < c[0], "iterations " + a + " -> " + b[0] + " -> " + c[0] + ": it loops");
        e.check(info(device, thread.id()).lifecycle() == Lifecycle.RUNNING, "it has not returned by itself");
        int value = device.stop(thread.id());
        live.remove(thread.id());
        e.check(value == 0 && await(() -> !Files.exists(Paths.get("/proc", Integer.toString(thread.pid())))),
                "after kthread_stop it ended (returned " + value + ")");
    }

    /* Unloads the module with live threads; then loads it again. */
    private ClaimResult claim11(Claim claim) {
        if (modulePath.isEmpty()) {
            return skip(claim, "unloading needs the module file to load it again: give --module PATH");
        }
        Experiment e = new Experiment();
        try {
            List<Integer> pids = new ArrayList<>();
            try (KthreadDevice device = KthreadDevice.open()) {
                pids.add(create(device, spec(11), true).pid());
                pids.add(create(device, spec(11).withExitValue(1), false).pid());
            }
            live.clear();
            int mark = kernelLog().size();
            Command rmmod = Command.run("rmmod", "kthreadctl");
            e.check(rmmod.exitCode() == 0, "rmmod kthreadctl with 2 live threads (one woken, one never woken): "
                    + (rmmod.exitCode() == 0 ? "done" : rmmod.output().trim()));
            // Each task leaves /proc a moment after kthread_stop() has returned.
            for (int pid : pids) {
                e.check(await(() -> !Files.exists(Paths.get("/proc", Integer.toString(pid)))), "pid " + pid + " is gone");
            }
            List<String> log = kernelLog();
            List<String> added = log.subList(Math.min(mark, log.size()), log.size());
            e.check(added.stream().noneMatch(line -> line.matches(".*(BUG:|WARNING:|Oops|refcount_t).*")),
                    "the kernel log has no oops or warning");
            added.stream().filter(line -> line.contains("kthreadctl:")).forEach(e::note);
            Command insmod = Command.run("insmod", modulePath.get().toString());
            e.check(insmod.exitCode() == 0, "the module is loaded again" + (insmod.exitCode() == 0 ? ""
                    : ": " + insmod.output().trim()));
        } catch (IOException | RuntimeException ex) {
            e.check(false, "the experiment failed: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            e.check(false, "interrupted");
        }
        return new ClaimResult(claim, e.failure == null ? Verdict.PASS : Verdict.FAIL,
                e.failure == null ? "" : e.failure, e.evidence);
    }

    private static List<String> kernelLog() throws IOException, InterruptedException {
        return Command.run("dmesg").output().lines().toList();
    }

    private static List<Integer> onlineCpus() throws IOException {
        List<Integer> cpus = new ArrayList<>();
        for (String range : Files.readString(Paths.get("/sys/devices/system/cpu/online")).trim().split(",")) {
            String[] ends = range.split("-");
            int first = Integer.parseInt(ends[0]);
            int last = ends.length > 1 ? Integer.parseInt(ends[1]) : first;
            for (int cpu = first; cpu <= last; cpu++) {
                cpus.add(cpu);
            }
        }
        return cpus;
    }

    private static void closeQuietly(KthreadDevice device) {
        try {
            device.close();
        } catch (KthreadctlException e) {
            // nothing left to do with it
        }
    }

    private record Command(int exitCode, String output) {
        static Command run(String... command) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Command(process.waitFor(), output);
        }
    }
}
