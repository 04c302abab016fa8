// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_version; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"major", "minor", "patch", "abi"})
public final class VersionArgs extends UapiStructure {
    public int major;
    public int minor;
    public int patch;
    public int abi;

    public VersionArgs() {
    }
}
