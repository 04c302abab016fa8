// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * A /proc file's text is not in the format the kernel documents.
 *
 * <p>Immutable once thrown: it adds no state to {@link ProcException}.
 */
public final class MalformedProcFileException extends ProcException {
    private static final long serialVersionUID = 1L;

    /**
     * A file whose text does not parse.
     *
     * @param message what is wrong with the text, e.g. {@code "ppid is not a number"}
     */
    public MalformedProcFileException(String message) {
        super(message);
    }
}
