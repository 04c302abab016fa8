// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

/**
 * Request numbers as the kernel's {@code _IOC} macros build them on x86_64
 * (asm-generic/ioctl.h): direction in bits 30-31, argument size in 16-29,
 * type (the magic) in 8-15, number in 0-7. The size comes from the JNA
 * structure, so a layout change moves the number too; the layout test checks
 * both against the C header.
 *
 * <p>Thread-safe: constants, and a pure function.
 */
public final class IoctlRequest {
    public static final int MAGIC = 0xE9;

    public static final int WRITE = 1;
    public static final int READ = 2;
    private static final int SIZE_BITS = 14;

    public static final long GET_VERSION = encode(READ, 0x00, new VersionArgs().size());
    public static final long CREATE = encode(READ | WRITE, 0x01, new CreateArgs().size());
    public static final long WAKE = encode(READ | WRITE, 0x02, new WakeArgs().size());
    public static final long STOP = encode(READ | WRITE, 0x03, new StopArgs().size());
    public static final long INFO = encode(READ | WRITE, 0x04, new InfoArgs().size());
    public static final long RUN = encode(READ | WRITE, 0x05, new CreateArgs().size());
    public static final long PARK = encode(WRITE, 0x06, new IdArgs().size());
    public static final long UNPARK = encode(WRITE, 0x07, new IdArgs().size());
    public static final long BIND = encode(WRITE, 0x08, new BindArgs().size());
    public static final long SET_NICE = encode(WRITE, 0x09, new SchedArgs().size());
    public static final long SET_FIFO = encode(WRITE, 0x0a, new SchedArgs().size());
    public static final long SET_NORMAL = encode(WRITE, 0x0b, new SchedArgs().size());
    public static final long LIST = encode(READ | WRITE, 0x0c, new ListArgs().size());

    private IoctlRequest() {
    }

    public static long encode(int direction, int number, int size) {
        if (size < 0 || size >= (1 << SIZE_BITS)) {
            throw new IllegalArgumentException("ioctl argument size out of range: " + size);
        }
        return ((long) direction << 30) | ((long) size << 16) | ((long) MAGIC << 8) | number;
    }
}
