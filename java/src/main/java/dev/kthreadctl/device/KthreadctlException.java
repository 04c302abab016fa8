package dev.kthreadctl.device;

import java.io.IOException;

/**
 * A call on /dev/kthreadctl failed. Carries the errno the kernel returned and
 * the operation that got it; subclasses name the causes a caller can act on.
 */
public class KthreadctlException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;

    public KthreadctlException(String operation, int errno, String message) {
        super(operation + " failed with " + Errno.nameOf(errno) + ": " + message);
        this.operation = operation;
        this.errno = errno;
    }

    /** What was being done, e.g. {@code "CREATE"} or {@code "open /dev/kthreadctl"}. */
    public String operation() {
        return operation;
    }

    public int errno() {
        return errno;
    }

    /** The errno's symbolic name, e.g. {@code "EPERM"}. */
    public String errnoName() {
        return Errno.nameOf(errno);
    }
}
