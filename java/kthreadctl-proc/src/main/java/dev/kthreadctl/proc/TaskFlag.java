// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.util.EnumSet;
import java.util.Set;

/**
 * The PF_* task flags of field 9 of /proc/PID/stat (include/linux/sched.h).
 * No bit has had two meanings from 6.1 to 7.2: a bit listed here that an
 * older kernel does not define is simply never set there.
 *
 * <p>Immutable and thread-safe.
 */
public enum TaskFlag {
    /** Runs a virtual CPU. */
    PF_VCPU(0x1, "runs a virtual CPU"),
    /** An idle thread. */
    PF_IDLE(0x2, "an idle thread"),
    /** Exiting. */
    PF_EXITING(0x4, "exiting"),
    /** Coredumps done. */
    PF_POSTCOREDUMP(0x8, "coredumps done"),
    /** An io_uring worker. */
    PF_IO_WORKER(0x10, "an io_uring worker"),
    /** A workqueue worker (kworker). */
    PF_WQ_WORKER(0x20, "a workqueue worker (kworker)"),
    /** Forked but did not exec. */
    PF_FORKNOEXEC(0x40, "forked but did not exec"),
    /** Machine-check policy set. */
    PF_MCE_PROCESS(0x80, "machine-check policy set"),
    /** Used super-user privileges. */
    PF_SUPERPRIV(0x100, "used super-user privileges"),
    /** Dumped core. */
    PF_DUMPCORE(0x200, "dumped core"),
    /** Killed by a signal. */
    PF_SIGNALED(0x400, "killed by a signal"),
    /** Allocating memory to free memory. */
    PF_MEMALLOC(0x800, "allocating memory to free memory"),
    /** Over RLIMIT_NPROC at setuid. */
    PF_NPROC_EXCEEDED(0x1000, "over RLIMIT_NPROC at setuid"),
    /** Used the FPU. */
    PF_USED_MATH(0x2000, "used the FPU"),
    /** A kernel worker of a user process (6.4+). */
    PF_USER_WORKER(0x4000, "a kernel worker of a user process (6.4+)"),
    /** Never frozen for suspend. */
    PF_NOFREEZE(0x8000, "never frozen for suspend"),
    /** Kcompactd. */
    PF_KCOMPACTD(0x10000, "kcompactd"),
    /** Kswapd. */
    PF_KSWAPD(0x20000, "kswapd"),
    /** Allocations must not enter the file system. */
    PF_MEMALLOC_NOFS(0x40000, "allocations must not enter the file system"),
    /** Allocations must not do I/O. */
    PF_MEMALLOC_NOIO(0x80000, "allocations must not do I/O"),
    /** Throttled on its own writeback only. */
    PF_LOCAL_THROTTLE(0x100000, "throttled on its own writeback only"),
    /** A kernel thread. */
    PF_KTHREAD(0x200000, "a kernel thread"),
    /** Address space randomised. */
    PF_RANDOMIZE(0x400000, "address space randomised"),
    /** No TIF_NOTIFY_SIGNAL (6.1). */
    PF_NO_NOTIFY_SIGNAL(0x800000, "no TIF_NOTIFY_SIGNAL (6.1)"),
    /** User space may not change its CPUs. */
    PF_NO_SETAFFINITY(0x4000000, "user space may not change its CPUs"),
    /** Early machine-check kill. */
    PF_MCE_EARLY(0x8000000, "early machine-check kill"),
    /** Allocations may be pinned. */
    PF_MEMALLOC_PIN(0x10000000, "allocations may be pinned"),
    /** Plugged block I/O timestamps. */
    PF_BLOCK_TS(0x20000000, "plugged block I/O timestamps"),
    /** The task doing the suspend. */
    PF_SUSPEND_TASK(0x80000000L, "the task doing the suspend");

    private final long bit;
    private final String meaning;

    TaskFlag(long bit, String meaning) {
        this.bit = bit;
        this.meaning = meaning;
    }

    /** @return the flag's bit in field 9 of stat */
    public long bit() {
        return bit;
    }

    /** @return what the flag, or state, means, in a few words */
    public String meaning() {
        return meaning;
    }

    /**
     * @param flags field 9 of a stat line
     * @return whether this flag is set there
     */
    public boolean isSetIn(long flags) {
        return (flags & bit) != 0;
    }

    /**
     * The named flags set in {@code flags}; bits no kernel names are left out.
     *
     * @param flags field 9 of a stat line
     * @return the flags set, in bit order
     */
    public static Set<TaskFlag> decode(long flags) {
        EnumSet<TaskFlag> set = EnumSet.noneOf(TaskFlag.class);
        for (TaskFlag flag : values()) {
            if (flag.isSetIn(flags)) {
                set.add(flag);
            }
        }
        return set;
    }
}
