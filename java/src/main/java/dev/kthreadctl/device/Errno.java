package dev.kthreadctl.device;

/** The Linux errno values kthreadctl can meet, with their symbolic names. */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9),
    EAGAIN(11), ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19),
    EINVAL(22), ENOTTY(25), ENOSPC(28), ERANGE(34), ENOSYS(38), EALREADY(114);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The symbolic name of an errno value, or {@code "errno N"} for one not listed here. */
    public static String nameOf(int number) {
        Errno errno = fromNumber(number);
        return errno != null ? errno.name() : "errno " + number;
    }

    /** The constant for an errno value, or null for one not listed here. */
    public static Errno fromNumber(int number) {
        for (Errno errno : values()) {
            if (errno.number == number) {
                return errno;
            }
        }
        return null;
    }
}
