// SPDX-License-Identifier: Apache-2.0
/**
 * The JNA binding for /dev/kthreadctl: create, wake, park, bind, inspect and
 * stop kernel threads through the kthreadctl kernel module. The structures
 * and native calls live in a package this module does not export.
 */
module dev.kthreadctl.device {
    requires com.sun.jna;

    exports dev.kthreadctl.device;

    // JNA reads the structures' fields and binds the C library's functions reflectively.
    opens dev.kthreadctl.device.internal to com.sun.jna;
}
