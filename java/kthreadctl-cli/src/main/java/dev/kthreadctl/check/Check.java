// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

/**
 * What {@code kthreadctl check} looks at in a student's module, in the order
 * it reports them, with the points each is worth.
 *
 * <p>Immutable and thread-safe.
 */
public enum Check {
    BUILDS("builds", 1, "the source builds against the kernel's headers (make check SRC=)"),
    LOADS("loads", 2, "insmod succeeds and the kernel logs no complaint while it loads"),
    CREATES_THREADS("creates_threads", 2, "new tasks appear within seconds, named as --expect says"),
    REAL_KTHREADS("real_kthreads", 2, "each is a kernel thread: PF_KTHREAD, child of kthreadd, no address space"),
    WOKEN("woken", 2, "each was woken and runs its function, rather than waiting in kthread() for"
            + " wake_up_process()"),
    SLEEPS("sleeps", 2, "each sleeps while it waits, rather than spinning on a CPU"),
    STAYS_ALIVE("stays_alive", 1, "each is still there while the module is loaded"),
    UNLOADS("unloads", 2, "rmmod finishes within the bound: the threads heed kthread_should_stop()"),
    THREADS_GONE("threads_gone", 2, "after rmmod none of them is left running the freed code"),
    REPEATABLE("repeatable", 1, "a second load and unload gives the same verdicts"),
    KERNEL_HEALTHY("kernel_healthy", 3, "no oops, BUG, WARN, hung task or lockup was logged, and no taint"
            + " was added but O (out of tree) and E (unsigned)");

    private final String id;
    private final int points;
    private final String meaning;

    Check(String id, int points, String meaning) {
        this.id = id;
        this.points = points;
        this.meaning = meaning;
    }

    /**
     * The check's name in KTAP and JSON output.
     *
     * @return e.g. {@code threads_gone}
     */
    public String id() {
        return id;
    }

    /**
     * Its number in the KTAP plan.
     *
     * @return 1 for the first check
     */
    public int number() {
        return ordinal() + 1;
    }

    /**
     * The points a pass earns.
     *
     * @return at least 1
     */
    public int points() {
        return points;
    }

    /**
     * What passing it shows, in one sentence.
     *
     * @return the check's meaning
     */
    public String meaning() {
        return meaning;
    }
}
