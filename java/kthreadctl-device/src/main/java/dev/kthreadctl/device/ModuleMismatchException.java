// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * The loaded module speaks another ABI than this library: its structures or
 * request numbers differ, so no call is safe. Errno is EPROTO, or ENOTTY when
 * the module did not even know this library's version request.
 *
 * <p>Immutable once thrown.
 */
public final class ModuleMismatchException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    ModuleMismatchException(String operation, int errno, String found) {
        super(operation, errno, "the loaded kthreadctl module " + found + ", this library needs ABI "
                + KthreadDevice.ABI_VERSION + ": load the module built from the same release"
                + " (rmmod kthreadctl, then insmod the new kthreadctl.ko)");
    }
}
