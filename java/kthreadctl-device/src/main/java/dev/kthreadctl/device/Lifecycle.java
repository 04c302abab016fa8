// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * Where a managed thread is in its life, as the module tracks it.
 *
 * <p>Immutable and thread-safe.
 */
public enum Lifecycle {
    /** kthread_create() returned; never woken, so its function has not run (state D). */
    CREATED(1),
    /** Woken; its function runs until stopped (or, for {@link WorkKind#COUNT}, until done). */
    RUNNING(2),
    /** kthread_park() returned; it waits in kthread_parkme() (state P). */
    PARKED(3),
    /** Its function returned by itself; kthread_stop() still gives its value. */
    EXITED(4),
    /** kthread_stop() is in progress; the id goes away when it returns. */
    STOPPING(5),
    /** kthread_park() is in progress: the thread has not parked yet; a stop now gets EBUSY. */
    PARKING(6);

    private final int code;

    Lifecycle(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static Lifecycle fromCode(int code) {
        for (Lifecycle lifecycle : values()) {
            if (lifecycle.code == code) {
                return lifecycle;
            }
        }
        throw new IllegalStateException("module reported unknown lifecycle " + code);
    }
}
