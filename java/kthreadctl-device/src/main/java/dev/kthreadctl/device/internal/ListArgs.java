// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_list; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"ids", "capacity", "count", "reserved"})
public final class ListArgs extends UapiStructure {
    /** The user address of a u32 array, as the kernel wants it: a u64 on every ABI. */
    public long ids;
    public int capacity;
    public int count;
    public int[] reserved = new int[2];

    public ListArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final ListArgs LAYOUT = new ListArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_IDS = LAYOUT.offsetOf("ids");
    public static final int OFFSET_CAPACITY = LAYOUT.offsetOf("capacity");
    public static final int OFFSET_COUNT = LAYOUT.offsetOf("count");
}
