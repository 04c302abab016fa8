// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_id; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"id", "reserved"})
public final class IdArgs extends UapiStructure {
    public int id;
    public int reserved;

    public IdArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final IdArgs LAYOUT = new IdArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
}
