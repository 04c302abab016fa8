// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * The caller lacks root or CAP_SYS_ADMIN, which every kthreadctl control needs.
 *
 * <p>Immutable once thrown.
 */
public final class PermissionDeniedException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    /**
     * A call the kernel refused for lack of privilege.
     *
     * @param operation what was being done, e.g. {@code "CREATE"}
     * @param errno the errno the call got: EPERM or EACCES
     */
    public PermissionDeniedException(String operation, int errno) {
        super(operation, errno, "kthreadctl needs root (CAP_SYS_ADMIN): run it as root or with sudo");
    }
}
