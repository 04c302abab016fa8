package dev.kthreadctl.proc;

/** The state letter of /proc/PID/stat, with what it means (fs/proc/array.c). */
public enum TaskState {
    RUNNING('R', "running or runnable"),
    SLEEPING('S', "interruptible sleep"),
    DISK_SLEEP('D', "uninterruptible sleep"),
    STOPPED('T', "stopped by a signal"),
    TRACING_STOP('t', "stopped by a tracer"),
    DEAD('X', "dead"),
    ZOMBIE('Z', "zombie: exited, not yet reaped"),
    PARKED('P', "parked (kthread_park)"),
    IDLE('I', "idle kernel thread, not counted as load");

    private final char letter;
    private final String meaning;

    TaskState(char letter, String meaning) {
        this.letter = letter;
        this.meaning = meaning;
    }

    public char letter() {
        return letter;
    }

    public String meaning() {
        return meaning;
    }

    /** The state for a letter; a letter no kernel prints is a format error. */
    public static TaskState fromLetter(char letter) {
        for (TaskState state : values()) {
            if (state.letter == letter) {
                return state;
            }
        }
        throw new MalformedProcFileException("unknown task state '" + letter + "'");
    }
}
