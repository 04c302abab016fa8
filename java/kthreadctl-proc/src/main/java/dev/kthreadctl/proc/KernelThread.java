// SPDX-License-Identifier: Apache-2.0
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
 *
 * <p>Immutable and thread-safe.
 *
 * @param stat the task's {@code /proc/PID/stat} line
 * @param name its name, read by the kernel's naming rules
 */
public record KernelThread(ProcStat stat, KthreadName name) {
    /**
     * A kernel thread if the stat line's PF_KTHREAD flag says so.
     *
     * @param stat a task's stat line
     * @return the kernel thread, or empty for a user task
     */
    public static Optional<KernelThread> of(ProcStat stat) {
        return of(stat, Optional.empty());
    }

    /**
     * A kernel thread if {@code status} (when read) or else the stat flags say so.
     *
     * @param stat a task's stat line
     * @param status the same task's status, if it was read: its {@code Kthread:}
     *               line, where present, decides over the stat flags
     * @return the kernel thread, or empty for a user task
     */
    public static Optional<KernelThread> of(ProcStat stat, Optional<ProcStatus> status) {
        boolean kernel = status.flatMap(ProcStatus::kthread).orElse(stat.isKernelThread());
        return kernel ? Optional.of(new KernelThread(stat, KthreadName.parse(stat.name(), stat.flags())))
                : Optional.empty();
    }

    /**
     * The task's identity.
     *
     * @return its pid and start time
     */
    public TaskId id() {
        return TaskId.of(stat);
    }
}
