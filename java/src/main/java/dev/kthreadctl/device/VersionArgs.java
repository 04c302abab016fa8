package dev.kthreadctl.device;

import com.sun.jna.Structure.FieldOrder;

/** struct kthreadctl_version; public only because JNA reads the fields reflectively. */
@FieldOrder({"major", "minor", "patch", "abi"})
public final class VersionArgs extends UapiStructure {
    public int major;
    public int minor;
    public int patch;
    public int abi;

    VersionArgs() {
    }
}
