// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

import java.util.List;

/**
 * A claim of the seed text (shared/seed/kernel-threads.txt) that
 * {@link SeedVerifier} checks on the live kernel.
 *
 * <p>Immutable and thread-safe.
 *
 * @param number its number in the seed text, 1 to 11
 * @param title the claim as the seed text puts it
 * @param meaning what the claim says, in one line, for a lab hand-out
 * @param needsModule whether its experiment needs the kthreadctl module
 */
public record Claim(int number, String title, String meaning, boolean needsModule) {
    /** Every claim, in the order of the seed text; an unmodifiable list. */
    public static final List<Claim> ALL = List.of(
            new Claim(1, "A kernel thread runs in kernel mode only and is not made by fork/clone",
                    "its parent is kthreadd (pid 2), PF_KTHREAD is set, it has no command line and no user memory",
                    false),
            new Claim(2, "Kernel threads do background work",
                    "a created thread works with no process driving it", true),
            new Claim(3, "ksoftirqd is a per-CPU kernel thread",
                    "one ksoftirqd/N per online CPU, each allowed only on its CPU", false),
            new Claim(4, "kworker is a kernel thread that processes work queues",
                    "a work item the module queues is run by a kworker/... thread", true),
            new Claim(5, "Kernel and user threads are task_structs; a kernel thread has no address space",
                    "mm == NULL inside the thread, no Vm* lines and empty maps in /proc; a user task has them", false),
            new Claim(6, "kthread_create() creates the thread but does not run it",
                    "state D and zero iterations after a pause", true),
            new Claim(7, "wake_up_process() makes a created thread run",
                    "after the wake its iterations grow", true),
            new Claim(8, "kthread_run() is kthread_create() plus wake_up_process()",
                    "a thread made by kthread_run runs without a separate wake", true),
            new Claim(9, "kthread_stop() blocks until the thread function returns, and returns its value",
                    "the call returns the value the function returned, and only then is the task gone", true),
            new Claim(10, "The thread function loops on kthread_should_stop()",
                    "the thread keeps running until asked to stop, then ends", true),
            new Claim(11, "Threads must be stopped in module_exit, or the kernel oopses",
                    "unloading the module with live threads leaves none behind and no oops", true));
}
