package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_wake; public only because JNA reads the fields reflectively. */
@FieldOrder({"id", "flags"})
public final class WakeArgs extends UapiStructure {
    static final int FIRST = 1;
    static final int WOKE = 1 << 1;

    public int id;
    public int flags;

    WakeArgs() {
    }
}
