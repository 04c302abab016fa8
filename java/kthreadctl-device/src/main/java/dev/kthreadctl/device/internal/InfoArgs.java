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
}
