package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_create; public only because JNA reads the fields reflectively. */
@FieldOrder({"name", "flags", "work", "period_ms", "cpu", "node", "exit_value", "iterations", "id", "pid",
    "reserved"})
public final class CreateArgs extends UapiStructure {
    static final int BIND_CPU = 1;
    static final int NODE = 1 << 1;

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

    CreateArgs() {
    }
}
