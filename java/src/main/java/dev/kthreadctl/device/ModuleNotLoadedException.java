package dev.kthreadctl.device;

/** /dev/kthreadctl is missing or has no driver behind it. */
public final class ModuleNotLoadedException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    public ModuleNotLoadedException(String operation, int errno, String devicePath) {
        super(operation, errno, devicePath + " is not there: the kthreadctl module is not loaded."
                + " Load it as root with 'insmod kthreadctl.ko' (built by 'make -C kmod'),"
                + " or use 'make shell' for a guest with it loaded");
    }
}
