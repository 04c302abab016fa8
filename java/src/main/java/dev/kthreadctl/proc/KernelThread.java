package dev.kthreadctl.proc;

import java.util.Optional;

/**
 * A kernel thread found in /proc, with what its name says it is.
 *
 * <p>What makes a task a kernel thread, in the order trusted: the
 * {@code Kthread:} line of {@code /proc/PID/status} where the kernel prints
 * it (6.12, 6.18 and 7.2 do; 6.1 does not); else the PF_KTHREAD bit
 * of {@code /proc/PID/stat} field 9, which every kernel since 2.6 sets on
 * kernel threads and never on user tasks. Names, parents and empty command
 * lines are never trusted: a user process can name itself {@code kworker/0:1}
 * and have kthreadd's pid as its parent only if re-parented, and a zombie has
 * no command line either.
 */
public record KernelThread(ProcStat stat, KthreadName name) {
    public static Optional<KernelThread> of(ProcStat stat) {
        return of(stat, Optional.empty());
    }

    /** A kernel thread if {@code status} (when read) or else the stat flags say so. */
    public static Optional<KernelThread> of(ProcStat stat, Optional<ProcStatus> status) {
        boolean kernel = status.flatMap(ProcStatus::kthread).orElse(stat.isKernelThread());
        return kernel ? Optional.of(new KernelThread(stat, KthreadName.parse(stat.name(), stat.flags())))
                : Optional.empty();
    }

    public TaskId id() {
        return TaskId.of(stat);
    }
}
