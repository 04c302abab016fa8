// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_sched; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"id", "flags", "nice", "reserved"})
public final class SchedArgs extends UapiStructure {
    public static final int FIFO_LOW = 1;

    public int id;
    public int flags;
    public int nice;
    public int reserved;

    public SchedArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final SchedArgs LAYOUT = new SchedArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
    public static final int OFFSET_FLAGS = LAYOUT.offsetOf("flags");
    public static final int OFFSET_NICE = LAYOUT.offsetOf("nice");
}
