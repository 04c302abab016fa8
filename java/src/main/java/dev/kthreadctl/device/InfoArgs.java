package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_info; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "pid", "name", "iterations", "state", "period_ms", "exit_value", "reserved"})
public final class InfoArgs extends UapiStructure {
    public int id;
    public int pid;
    public byte[] name = new byte[NAME_LEN];
    public long iterations;
    public int state;
    public int period_ms;
    public int exit_value;
    public int[] reserved = new int[5];

    InfoArgs() {
    }
}
