package dev.kthreadctl.device;

/** No managed thread has this id: it was stopped, or never created. */
public final class NoSuchThreadException extends KthreadctlException {
    private static final long serialVersionUID = 1L;

    private final long id;

    public NoSuchThreadException(String operation, int errno, long id) {
        super(operation, errno, "no managed thread has id " + id + " (stopped, or never created)");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
