package dev.kthreadctl.device;

/** The loaded module's version and the ABI version of its ioctls. */
public record ModuleVersion(int major, int minor, int patch, int abi) {
    @Override
    public String toString() {
        return major + "." + minor + "." + patch + " (abi " + abi + ")";
    }
}
