// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import com.sun.jna.LastErrorException;
import dev.kthreadctl.device.internal.IdArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.Libc;

/**
 * Run by PermissionGuestTest in a separate, less privileged JVM: sends one
 * request the module does not know and prints what came back as one line,
 * {@code OK} or the errno's name.
 */
public final class RawRequestProbe {
    private RawRequestProbe() {
    }

    public static void main(String[] args) throws KthreadctlException {
        try (KthreadDevice device = KthreadDevice.open(KthreadDevice.DEFAULT_PATH, Libc.O_RDWR)) {
            device.ioctl(IoctlRequest.encode(IoctlRequest.READ | IoctlRequest.WRITE, 0x7f, 8), new IdArgs());
            System.out.println("OK");
        } catch (LastErrorException e) {
            System.out.println(Errno.nameOf(e.getErrorCode()));
        }
    }
}
