package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_bind; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "cpu"})
public final class BindArgs extends UapiStructure {
    public int id;
    public int cpu;

    BindArgs() {
    }
}
