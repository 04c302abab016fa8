// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * /dev/kthreadctl is missing or has no driver behind it.
 *
 * <p>Immutable once thrown.
 */
public final class ModuleNotLoadedException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    /**
     * A device that is not there; the message says how to load the module.
     *
     * @param operation what was being done, e.g. {@code "open /dev/kthreadctl"}
     * @param errno the errno the open got: ENOENT, ENXIO or ENODEV
     * @param devicePath the device node that was opened
     */
    public ModuleNotLoadedException(String operation, int errno, String devicePath) {
        super(operation, errno, devicePath + " is not there: the kthreadctl module is not loaded."
                + " Load it as root with 'insmod kthreadctl.ko' (built by 'make -C kmod'),"
                + " or use 'make shell' for a guest with it loaded");
    }
}
