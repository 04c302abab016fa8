package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_create; public only because JNA reads the fields reflectively. */
@FieldOrder({"name", "period_ms", "exit_value", "flags", "id", "pid", "reserved"})
public final class CreateArgs extends UapiStructure {
    public byte[] name = new byte[NAME_LEN];
    public int period_ms;
    public int exit_value;
    public int flags;
    public int id;
    public int pid;
    public int[] reserved = new int[3];

    CreateArgs() {
    }
}
