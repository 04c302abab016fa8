// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * The fields kthreadctl uses of one {@code /proc/PID/stat} line (proc(5)).
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid the task's pid (field 1)
 * @param name the task's name as the kernel prints it: for kernel threads the
 *             full name, up to 63 bytes, which may hold spaces and parentheses
 * @param state the state letter (R S D T t X Z P I)
 * @param ppid the parent's pid (field 4)
 * @param flags the task's PF_* flags (field 9)
 * @param utimeTicks user time in clock ticks (field 14)
 * @param stimeTicks system time in clock ticks (field 15)
 * @param nice the nice value, -20 to 19 (field 19)
 * @param threads the number of threads in the task's thread group (field 20)
 * @param startTimeTicks start time after boot in clock ticks (field 22);
 *                       with the pid, it identifies a task
 * @param processor the CPU it last ran on (field 39)
 * @param rtPriority real-time priority, 1 to 99 for SCHED_FIFO/RR, else 0 (field 40)
 * @param policy scheduling policy: 0 SCHED_NORMAL, 1 SCHED_FIFO, 2 SCHED_RR, … (field 41)
 */
public record ProcStat(int pid, String name, char state, int ppid, long flags, long utimeTicks,
        long stimeTicks, int nice, int threads, long startTimeTicks, int processor, int rtPriority, int policy) {

    /** PF_KTHREAD in include/linux/sched.h: set on every kernel thread. */
    public static final long PF_KTHREAD = 0x0020_0000L;

    /** PF_WQ_WORKER: the task is a workqueue worker (a kworker). */
    public static final long PF_WQ_WORKER = 0x0000_0020L;

    /**
     * The state letter, typed.
     *
     * @return the state {@link #state()} stands for
     * @throws MalformedProcFileException if the letter is none the kernel
     *         prints (only for a record not built by {@link ProcStatParser})
     */
    public TaskState taskState() {
        return TaskState.fromLetter(state);
    }

    /**
     * The named PF_* flags set.
     *
     * @return the flags of {@link #flags()} that {@link TaskFlag} names, in bit order
     */
    public java.util.Set<TaskFlag> taskFlags() {
        return TaskFlag.decode(flags);
    }

    /**
     * Whether the kernel flags this task as a kernel thread.
     *
     * @return whether PF_KTHREAD is set in {@link #flags()}
     */
    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }
}
