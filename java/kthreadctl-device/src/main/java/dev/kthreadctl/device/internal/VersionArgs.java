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

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final VersionArgs LAYOUT = new VersionArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_MAJOR = LAYOUT.offsetOf("major");
    public static final int OFFSET_MINOR = LAYOUT.offsetOf("minor");
    public static final int OFFSET_PATCH = LAYOUT.offsetOf("patch");
    public static final int OFFSET_ABI = LAYOUT.offsetOf("abi");
}
