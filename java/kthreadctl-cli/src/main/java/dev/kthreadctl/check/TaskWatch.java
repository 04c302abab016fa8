// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ProcStatus;
import dev.kthreadctl.proc.TaskId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The tasks in /proc, as the check follows a module's threads. Not thread-safe. */
final class TaskWatch implements AutoCloseable {
    static final int KTHREADD = 2;

    private final ProcScanner scanner = new ProcScanner();

    Set<TaskId> snapshot() {
        return scanner.scan().tasks().stream().map(TaskId::of).collect(Collectors.toSet());
    }

    /**
     * The tasks not in {@code before} that may be the module's: those named
     * as {@code expect} says, or else every new kernel thread or child of
     * kthreadd (where the user-mode helper puts its processes) but
     * workqueue workers, which come and go on their own.
     */
    List<ProcStat> newTasks(Set<TaskId> before, Optional<Pattern> expect) {
        return scanner.scan().tasks().stream().filter(stat -> !before.contains(TaskId.of(stat)))
                .filter(stat -> expect.isPresent() ? expect.get().matcher(stat.name()).matches()
                        : (stat.isKernelThread() || stat.ppid() == KTHREADD) && !isWorker(stat))
                .toList();
    }

    /* By name too: a worker gets PF_WQ_WORKER only once it first runs, and a scan can come before that. */
    private static boolean isWorker(ProcStat stat) {
        return (stat.flags() & ProcStat.PF_WQ_WORKER) != 0 || stat.name().startsWith("kworker/");
    }

    /** The task's stat, if it is still there, still that task, and not a zombie. */
    Optional<ProcStat> alive(TaskId id) {
        return scanner.stat(id).filter(stat -> stat.state() != 'Z' && stat.state() != 'X');
    }

    /*
     * The status of a task the caller has just seen alive: no second read
     * of its stat to confirm the pid is still that task's, as the gap is
     * too short for the pid to be reused.
     */
    Optional<ProcStatus> status(ProcStat seen) {
        return scanner.status(seen.pid());
    }

    /** "waits in FUNCTION", or "is running" when the kernel names no function. */
    String waitsIn(TaskId id) {
        return scanner.wchan(id.pid()).map(function -> "waits in " + function).orElse("is running");
    }

    Optional<String> wchan(TaskId id) {
        return scanner.wchan(id.pid());
    }

    @Override
    public void close() {
        scanner.close();
    }

    /** "name (pid N)", the way the check names a task. */
    static String describe(ProcStat stat) {
        return stat.name() + " (pid " + stat.pid() + ")";
    }
}
