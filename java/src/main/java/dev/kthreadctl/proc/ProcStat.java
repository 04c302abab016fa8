package dev.kthreadctl.proc;

/**
 * The fields kthreadctl uses of one {@code /proc/PID/stat} line (proc(5)).
 *
 * @param name the task's name as the kernel prints it: for kernel threads the
 *             full name, up to 63 bytes, which may hold spaces and parentheses
 * @param state the state letter (R S D T t X Z P I)
 * @param flags the task's PF_* flags (field 9)
 * @param utimeTicks user time in clock ticks (field 14)
 * @param stimeTicks system time in clock ticks (field 15)
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

    /** The state letter, typed. */
    public TaskState taskState() {
        return TaskState.fromLetter(state);
    }

    /** The named PF_* flags set. */
    public java.util.Set<TaskFlag> taskFlags() {
        return TaskFlag.decode(flags);
    }

    /** Whether the kernel flags this task as a kernel thread (PF_KTHREAD). */
    public boolean isKernelThread() {
        return (flags & PF_KTHREAD) != 0;
    }
}
