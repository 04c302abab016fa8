// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;

/**
 * Run by PermissionGuestTest in a separate, less privileged JVM: tries one
 * call on the device and prints what happened as one line,
 * {@code OK} or {@code <exception class> <errno name> <operation>}.
 */
public final class PrivilegeProbe {
    private PrivilegeProbe() {
    }

    public static void main(String[] args) {
        try (KthreadDevice device = KthreadDevice.open()) {
            device.version();
            System.out.println("OK");
        } catch (KthreadctlException e) {
            System.out.println(e.getClass().getSimpleName() + " " + e.errnoName() + " " + e.operation());
            System.out.println(e.getMessage());
        }
    }
}
