// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import java.io.IOException;

/**
 * A call on /dev/kthreadctl failed. Carries the errno the kernel returned and
 * the operation that got it; subclasses name the causes a caller can act on.
 *
 * <p>Immutable once thrown: its own fields are final.
 */
public class KthreadctlException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What was being done. */
    private final String operation;
    /** The errno value the kernel returned. */
    private final int errno;

    /**
     * A failed call. The message reads
     * {@code "OPERATION failed with ENAME: message"}.
     *
     * @param operation what was being done, e.g. {@code "CREATE"}
     * @param errno the errno value the kernel returned
     * @param message what the error means here, and what to do about it
     */
    public KthreadctlException(String operation, int errno, String message) {
        super(operation + " failed with " + Errno.nameOf(errno) + ": " + message);
        this.operation = operation;
        this.errno = errno;
    }

    /**
     * What was being done.
     *
     * @return the operation, e.g. {@code "CREATE"} or {@code "open /dev/kthreadctl"}
     */
    public String operation() {
        return operation;
    }

    /**
     * The errno value the kernel returned.
     *
     * @return the errno, e.g. 1 for EPERM
     */
    public int errno() {
        return errno;
    }

    /**
     * The errno's symbolic name.
     *
     * @return the name, e.g. {@code "EPERM"}, or {@code "errno N"} for one
     *         {@link Errno} does not list
     */
    public String errnoName() {
        return Errno.nameOf(errno);
    }
}
