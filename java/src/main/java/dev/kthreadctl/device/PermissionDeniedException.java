package dev.kthreadctl.device;

/** The caller lacks root or CAP_SYS_ADMIN, which every kthreadctl control needs. */
public final class PermissionDeniedException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    public PermissionDeniedException(String operation, int errno) {
        super(operation, errno, "kthreadctl needs root (CAP_SYS_ADMIN): run it as root or with sudo");
    }
}
