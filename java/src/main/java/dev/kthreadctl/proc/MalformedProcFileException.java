package dev.kthreadctl.proc;

/** A /proc file's text is not in the format the kernel documents. */
public final class MalformedProcFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedProcFileException(String message) {
        super(message);
    }
}
