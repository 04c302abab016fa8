// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device.internal;

import com.sun.jna.Structure.FieldOrder;

/**
 * struct kthreadctl_info; public only because JNA reads the fields reflectively; internal, not exported.
 *
 * <p>Not thread-safe: a mutable buffer, meant for one call at a time.
 */
@FieldOrder({"id", "pid", "name", "iterations", "lifecycle", "work", "period_ms", "exit_value", "result", "cpu",
    "flags", "bound_cpu", "kworker_pid", "work_items_run", "kworker_comm", "reserved"})
public final class InfoArgs extends UapiStructure {
    public static final int BOUND = 1;
    public static final int RAN = 1 << 1;
    public static final int MM_NULL = 1 << 2;
    public static final int PF_KTHREAD = 1 << 3;
    public static final int RESULT = 1 << 4;
    public static final int KWORKER = 1 << 5;

    public int id;
    public int pid;
    public byte[] name = new byte[NAME_LEN];
    public long iterations;
    public int lifecycle;
    public int work;
    public int period_ms;
    public int exit_value;
    public int result;
    public int cpu;
    public int flags;
    public int bound_cpu;
    public int kworker_pid;
    public int work_items_run;
    public byte[] kworker_comm = new byte[COMM_LEN];
    public int[] reserved = new int[4];

    public InfoArgs() {
    }

    /*
     * Where the fields the library uses sit, as JNA lays the struct out (the
     * layout test checks these against gcc): calls read and write them in
     * a buffer, never through an instance.
     */
    private static final InfoArgs LAYOUT = new InfoArgs();
    public static final int SIZE = LAYOUT.size();
    public static final int OFFSET_ID = LAYOUT.offsetOf("id");
    public static final int OFFSET_PID = LAYOUT.offsetOf("pid");
    public static final int OFFSET_NAME = LAYOUT.offsetOf("name");
    public static final int OFFSET_ITERATIONS = LAYOUT.offsetOf("iterations");
    public static final int OFFSET_LIFECYCLE = LAYOUT.offsetOf("lifecycle");
    public static final int OFFSET_WORK = LAYOUT.offsetOf("work");
    public static final int OFFSET_PERIOD_MS = LAYOUT.offsetOf("period_ms");
    public static final int OFFSET_EXIT_VALUE = LAYOUT.offsetOf("exit_value");
    public static final int OFFSET_RESULT = LAYOUT.offsetOf("result");
    public static final int OFFSET_CPU = LAYOUT.offsetOf("cpu");
    public static final int OFFSET_FLAGS = LAYOUT.offsetOf("flags");
    public static final int OFFSET_BOUND_CPU = LAYOUT.offsetOf("bound_cpu");
    public static final int OFFSET_KWORKER_PID = LAYOUT.offsetOf("kworker_pid");
    public static final int OFFSET_WORK_ITEMS_RUN = LAYOUT.offsetOf("work_items_run");
    public static final int OFFSET_KWORKER_COMM = LAYOUT.offsetOf("kworker_comm");
}
