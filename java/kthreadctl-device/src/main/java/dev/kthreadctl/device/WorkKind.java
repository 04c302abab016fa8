// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * What a managed thread's function does each iteration.
 *
 * <p>Immutable and thread-safe.
 */
public enum WorkKind {
    /** Sleeps one period, interruptibly (state S). */
    SLEEP(0),
    /** Stays busy for one period, yielding with cond_resched(): CPU time grows. */
    SPIN(1),
    /** Sleeps like SLEEP, and returns by itself after a set number of iterations. */
    COUNT(2),
    /** Queues a work item on the system workqueue, then sleeps: a kworker runs it. */
    WORKQUEUE(3);

    private final int code;

    WorkKind(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static WorkKind fromCode(int code) {
        for (WorkKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        throw new IllegalStateException("module reported unknown work kind " + code);
    }
}
