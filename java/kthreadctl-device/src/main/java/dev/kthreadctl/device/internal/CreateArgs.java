// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_create; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"name", "flags", "work", "period_ms", "cpu", "node", "exit_value", "iterations", "id", "pid",
    "reserved"})
public final class CreateArgs extends UapiStructure {
    public static final int BIND_CPU = 1;
    public static final int NODE = 1 << 1;

    public byte[] name = new byte[NAME_LEN];
    public int flags;
    public int work;
    public int period_ms;
    public int cpu;
    public int node;
    public int exit_value;
    public long iterations;
    public int id;
    public int pid;
    public int[] reserved = new int[4];

    public CreateArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final CreateArgs LAYOUT = new CreateArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_NAME = LAYOUT.offsetOf("name");
    public static final int OFFSET_FLAGS = LAYOUT.offsetOf("flags");
    public static final int OFFSET_WORK = LAYOUT.offsetOf("work");
    public static final int OFFSET_PERIOD_MS = LAYOUT.offsetOf("period_ms");
    public static final int OFFSET_CPU = LAYOUT.offsetOf("cpu");
    public static final int OFFSET_NODE = LAYOUT.offsetOf("node");
    public static final int OFFSET_EXIT_VALUE = LAYOUT.offsetOf("exit_value");
    public static final int OFFSET_ITERATIONS = LAYOUT.offsetOf("iterations");
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
    public static final int OFFSET_PID = LAYOUT.offsetOf("pid");
}
