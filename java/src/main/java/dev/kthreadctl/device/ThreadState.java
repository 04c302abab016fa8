package dev.kthreadctl.device;

/** Where a managed thread is in its life, as the module tracks it. */
public enum ThreadState {
    /** kthread_create() returned; never woken, so its function has not run. */
    CREATED(1),
    /** wake_up_process() was called; its function runs until stopped. */
    RUNNING(2);

    private final int code;

    ThreadState(int code) {
        this.code = code;
    }

    static ThreadState fromCode(int code) {
        for (ThreadState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalStateException("module reported unknown thread state " + code);
    }
}
