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
     * The same call with the argument in a direct buffer (JNA passes its
     * address), and the request as a 64-bit long: kthreadctl ships for
     * 64-bit Linux only, where unsigned long is 64 bits wide. Unlike a
     * Structure, which JNA copies field by field with a native call each, a
     * buffer crosses into native code once, which under an emulator is most
     * of the cost of a cheap request.
     */
    public static native int ioctl(int fd, long request, java.nio.ByteBuffer arg) throws LastErrorException;
}
