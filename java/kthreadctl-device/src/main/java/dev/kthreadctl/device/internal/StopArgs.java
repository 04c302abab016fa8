// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_stop; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"id", "result", "reserved"})
public final class StopArgs extends UapiStructure {
    public int id;
    public int result;
    public int[] reserved = new int[2];

    public StopArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final StopArgs LAYOUT = new StopArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
    public static final int OFFSET_RESULT = LAYOUT.offsetOf("result");
}
