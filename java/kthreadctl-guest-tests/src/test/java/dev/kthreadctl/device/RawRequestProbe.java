// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import com.sun.jna.LastErrorException;
import dev.kthreadctl.device.internal.IdArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.Libc;

/**
 * For PermissionGuestTest, on a thread with fewer privileges: sends one
 * request the module does not know, on a descriptor opened without the ABI
 * check (which would need CAP_SYS_ADMIN).
 */
public final class RawRequestProbe {
    private RawRequestProbe() {
    }

    /**
     * @return {@code OK}, or the name of the errno the request got
     */
    public static String sendUnknownRequest() throws KthreadctlException {
        try (KthreadDevice device = KthreadDevice.open(KthreadDevice.DEFAULT_PATH, Libc.O_RDWR)) {
            device.ioctl(IoctlRequest.encode(IoctlRequest.READ | IoctlRequest.WRITE, 0x7f, 8), new IdArgs());
            return "OK";
        } catch (LastErrorException e) {
            return Errno.nameOf(e.getErrorCode());
        }
    }
}
