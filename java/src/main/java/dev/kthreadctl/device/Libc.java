package dev.kthreadctl.device;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Structure;

/**
 * The C library calls kthreadctl needs, direct-mapped. This class is the only
 * place in the project that calls native code.
 */
final class Libc {
    static final int O_RDONLY = 0x0;
    static final int O_RDWR = 0x2;
    static final int O_CLOEXEC = 0x80000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    /** The request is an unsigned long in C: pass the bit pattern. */
    static native int ioctl(int fd, NativeLong request, Structure arg) throws LastErrorException;
}
