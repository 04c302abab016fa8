// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * The state letter of /proc/PID/stat, with what it means (fs/proc/array.c).
 *
 * <p>Immutable and thread-safe.
 */
public enum TaskState {
    /** Running or runnable. */
    RUNNING('R', "running or runnable"),
    /** Interruptible sleep. */
    SLEEPING('S', "interruptible sleep"),
    /** Uninterruptible sleep. */
    DISK_SLEEP('D', "uninterruptible sleep"),
    /** Stopped by a signal. */
    STOPPED('T', "stopped by a signal"),
    /** Stopped by a tracer. */
    TRACING_STOP('t', "stopped by a tracer"),
    /** Dead. */
    DEAD('X', "dead"),
    /** Zombie: exited, not yet reaped. */
    ZOMBIE('Z', "zombie: exited, not yet reaped"),
    /** Parked (kthread_park). */
    PARKED('P', "parked (kthread_park)"),
    /** Idle kernel thread, not counted as load. */
    IDLE('I', "idle kernel thread, not counted as load");

    /* Indexed by letter: a scan looks up one per task, and values() copies its array each call. */
    private static final TaskState[] BY_LETTER = new TaskState[128];

    static {
        for (TaskState state : values()) {
            BY_LETTER[state.letter] = state;
        }
    }

    private final char letter;
    private final String meaning;

    TaskState(char letter, String meaning) {
        this.letter = letter;
        this.meaning = meaning;
    }

    /** @return the letter /proc prints for the state */
    public char letter() {
        return letter;
    }

    /** @return what the flag, or state, means, in a few words */
    public String meaning() {
        return meaning;
    }

    /**
     * The state for a letter.
     *
     * @param letter the state letter of a stat line
     * @return its state
     * @throws MalformedProcFileException for a letter no kernel prints
     */
    public static TaskState fromLetter(char letter) {
        TaskState state = letter < BY_LETTER.length ? BY_LETTER[letter] : null;
        if (state != null) {
            return state;
        }
        throw new MalformedProcFileException("unknown task state '" + letter + "'");
    }
}
