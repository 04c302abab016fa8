// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * A task's identity: its pid and its start time after boot. Pids are reused;
 * the pair is not, so a task that exited and a new one that got its pid are
 * never taken for each other.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid the task's pid
 * @param startTimeTicks its start time after boot in clock ticks (stat field 22)
 */
public record TaskId(int pid, long startTimeTicks) {
    /**
     * The identity of the task a stat line describes.
     *
     * @param stat a task's stat line
     * @return its pid and start time
     */
    public static TaskId of(ProcStat stat) {
        return new TaskId(stat.pid(), stat.startTimeTicks());
    }
}
