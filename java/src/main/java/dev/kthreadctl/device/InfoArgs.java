package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_info; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "pid", "name", "iterations", "lifecycle", "work", "period_ms", "exit_value", "result", "cpu",
    "flags", "bound_cpu", "kworker_pid", "work_items_run", "kworker_comm", "reserved"})
public final class InfoArgs extends UapiStructure {
    static final int BOUND = 1;
    static final int RAN = 1 << 1;
    static final int MM_NULL = 1 << 2;
    static final int PF_KTHREAD = 1 << 3;
    static final int RESULT = 1 << 4;
    static final int KWORKER = 1 << 5;

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

    InfoArgs() {
    }
}
