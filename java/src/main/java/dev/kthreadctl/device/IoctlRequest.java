package dev.kthreadctl.device;

/**
 * Request numbers as the kernel's {@code _IOC} macros build them on x86_64
 * (asm-generic/ioctl.h): direction in bits 30-31, argument size in 16-29,
 * type (the magic) in 8-15, number in 0-7. The size comes from the JNA
 * structure, so a layout change moves the number too; the layout test checks
 * both against the C header.
 */
final class IoctlRequest {
    static final int MAGIC = 0xB7;

    private static final int DIR_WRITE = 1;
    private static final int DIR_READ = 2;
    private static final int SIZE_BITS = 14;

    static final long GET_VERSION = encode(DIR_READ, 0x00, new VersionArgs().size());
    static final long CREATE = encode(DIR_READ | DIR_WRITE, 0x01, new CreateArgs().size());
    static final long WAKE = encode(DIR_WRITE, 0x02, new IdArgs().size());
    static final long STOP = encode(DIR_READ | DIR_WRITE, 0x03, new StopArgs().size());
    static final long INFO = encode(DIR_READ | DIR_WRITE, 0x04, new InfoArgs().size());

    private IoctlRequest() {
    }

    static long encode(int direction, int number, int size) {
        if (size < 0 || size >= (1 << SIZE_BITS)) {
            throw new IllegalArgumentException("ioctl argument size out of range: " + size);
        }
        return ((long) direction << 30) | ((long) size << 16) | ((long) MAGIC << 8) | number;
    }
}
