package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_stop; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "result", "reserved"})
public final class StopArgs extends UapiStructure {
    public int id;
    public int result;
    public int[] reserved = new int[2];

    StopArgs() {
    }
}
