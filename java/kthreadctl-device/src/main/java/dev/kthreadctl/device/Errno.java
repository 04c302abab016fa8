// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import java.util.Optional;

/**
 * The Linux errno values kthreadctl can meet, with their symbolic names.
 *
 * <p>Immutable and thread-safe.
 */
public enum Errno {
    /** 1, operation not permitted: the caller lacks CAP_SYS_ADMIN. */
    EPERM(1),
    /** 2, no such file or directory: no device node, or no managed thread with the id. */
    ENOENT(2),
    /** 3, no such process: the thread's function has returned, or it is being stopped. */
    ESRCH(3),
    /** 4, interrupted system call; negated, what kthread_stop() returns for a thread never woken. */
    EINTR(4),
    /** 5, input/output error. */
    EIO(5),
    /** 6, no such device or address: the device node has no driver behind it. */
    ENXIO(6),
    /** 7, argument list too long. */
    E2BIG(7),
    /** 9, bad file descriptor: a control on a descriptor not open for writing. */
    EBADF(9),
    /** 11, try again: as many threads as max_unwoken allows are created and not yet woken. */
    EAGAIN(11),
    /** 12, out of memory. */
    ENOMEM(12),
    /** 13, permission denied. */
    EACCES(13),
    /** 14, bad address. */
    EFAULT(14),
    /** 16, device or resource busy: e.g. a bind after the first wake, or a stop during a park. */
    EBUSY(16),
    /** 17, file exists. */
    EEXIST(17),
    /** 19, no such device: the device node has no driver behind it. */
    ENODEV(19),
    /** 22, invalid argument: the module rejected the request's arguments or the thread's state. */
    EINVAL(22),
    /** 25, inappropriate ioctl for device: the module does not know the request. */
    ENOTTY(25),
    /** 28, no space left: the module manages as many threads as max_threads allows. */
    ENOSPC(28),
    /** 34, result out of range. */
    ERANGE(34),
    /** 38, function not implemented. */
    ENOSYS(38),
    /** 71, protocol error: the module speaks another ABI than this library. */
    EPROTO(71),
    /** 114, operation already in progress: already parked, or another caller is stopping it. */
    EALREADY(114);

    private final int number;

    Errno(int number) {
        this.number = number;
    }

    /**
     * The errno value.
     *
     * @return its number, e.g. 1 for {@link #EPERM}
     */
    public int number() {
        return number;
    }

    /**
     * The symbolic name of an errno value.
     *
     * @param number an errno value
     * @return its name, e.g. {@code "EPERM"}, or {@code "errno N"} for one not listed here
     */
    public static String nameOf(int number) {
        return fromNumber(number).map(Errno::name).orElse("errno " + number);
    }

    /**
     * The constant for an errno value.
     *
     * @param number an errno value
     * @return its constant, or empty if it is not listed here
     */
    public static Optional<Errno> fromNumber(int number) {
        for (Errno errno : values()) {
            if (errno.number == number) {
                return Optional.of(errno);
            }
        }
        return Optional.empty();
    }
}
