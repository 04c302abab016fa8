// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * No managed thread has this id: it was stopped, or never created.
 *
 * <p>Immutable once thrown.
 */
public final class NoSuchThreadException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    /** The id no managed thread has. */
    private final long id;

    /**
     * A call on an id the module does not know.
     *
     * @param operation the request, e.g. {@code "WAKE"}
     * @param errno the errno the module returned (ENOENT)
     * @param id the id asked for
     */
    public NoSuchThreadException(String operation, int errno, long id) {
        super(operation, errno, "no managed thread has id " + id + " (stopped, or never created)");
        this.id = id;
    }

    /**
     * The id no managed thread has.
     *
     * @return the id asked for
     */
    public long id() {
        return id;
    }
}
