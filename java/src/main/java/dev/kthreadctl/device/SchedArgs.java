package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_sched; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "flags", "nice", "reserved"})
public final class SchedArgs extends UapiStructure {
    static final int FIFO_LOW = 1;

    public int id;
    public int flags;
    public int nice;
    public int reserved;

    SchedArgs() {
    }
}
