package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_id; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "reserved"})
public final class IdArgs extends UapiStructure {
    public int id;
    public int reserved;

    IdArgs() {
    }
}
