// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.util.concurrent.Callable;

/**
 * Runs a piece of a test with this process's soft limit on open files
 * lowered, and puts the limit back after, as a process started under
 * {@code prlimit --nofile} would see it, without starting one (a JVM costs
 * about 10 s under an emulator). The hard limit stays, so the soft one can
 * go back up. Only for a suite that runs one test at a time: the JVM's other
 * threads open no files meanwhile.
 */
final class OpenFileLimit {
    private static final int RLIMIT_NOFILE = 7;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    /* struct rlimit is two rlim_t (unsigned long): {soft, hard}. */
    private static native int prlimit(int pid, int resource, long[] newLimit, long[] oldLimit)
            throws LastErrorException;

    private OpenFileLimit() {
    }

    static <T> T withSoftLimit(long soft, Callable<T> action) throws Exception {
        long[] old = new long[2];
        prlimit(0, RLIMIT_NOFILE, null, old);
        if (Long.compareUnsigned(soft, old[1]) > 0) {
            throw new IllegalArgumentException("soft limit " + soft + " above the hard limit " + old[1]);
        }
        prlimit(0, RLIMIT_NOFILE, new long[] {soft, old[1]}, null);
        try {
            return action.call();
        } finally {
            prlimit(0, RLIMIT_NOFILE, old, null);
        }
    }
}
