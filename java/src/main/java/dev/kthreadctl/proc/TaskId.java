package dev.kthreadctl.proc;

/**
 * A task's identity: its pid and its start time after boot. Pids are reused;
 * the pair is not, so a task that exited and a new one that got its pid are
 * never taken for each other.
 */
public record TaskId(int pid, long startTimeTicks) {
    public static TaskId of(ProcStat stat) {
        return new TaskId(stat.pid(), stat.startTimeTicks());
    }
}
