// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_wake; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"id", "flags"})
public final class WakeArgs extends UapiStructure {
    public static final int FIRST = 1;
    public static final int WOKE = 1 << 1;

    public int id;
    public int flags;

    public WakeArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final WakeArgs LAYOUT = new WakeArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
    public static final int OFFSET_FLAGS = LAYOUT.offsetOf("flags");
}
