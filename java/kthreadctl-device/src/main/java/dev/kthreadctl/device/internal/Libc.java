// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * The C library calls kthreadctl needs, direct-mapped. This class is the only
 * place in the project that calls native code.
 *
 * <p>Thread-safe as far as the C calls are: the class keeps no state, and
 * JNA reads errno on the calling thread, so each caller's
 * {@link com.sun.jna.LastErrorException} carries its own error.
 */
public final class Libc {
    public static final int O_RDONLY = 0x0;
    public static final int O_RDWR = 0x2;
    public static final int O_CLOEXEC = 0x80000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    /** The request is an unsigned long in C: pass the bit pattern. */
    public static native int ioctl(int fd, NativeLong request, Structure arg) throws LastErrorException;

    /**
     * The same call with the argument's address as a plain long (of a direct
     * buffer the caller keeps reachable until the call returns), and the
     * request as a 64-bit long: kthreadctl ships for 64-bit Linux only,
     * where unsigned long and pointers are 64 bits wide. Only primitive
     * arguments make JNA's cheapest call: no per-field copy as a Structure
     * has, no address lookup as a buffer has. Under an emulator that is
     * most of the cost of a cheap request.
     */
    public static native int ioctl(int fd, long request, long argAddress) throws LastErrorException;
}
