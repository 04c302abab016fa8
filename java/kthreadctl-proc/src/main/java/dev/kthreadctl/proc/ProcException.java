// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * A /proc file could not be read or made sense of. Unchecked, and the only
 * exception this package throws for what it reads: a scan reports each
 * file's trouble in {@link ProcScan#problems()} and goes on, so only a
 * failure of a whole scan, or of a single-task read, escapes as one.
 *
 * <p>Immutable once thrown: it adds no state to {@link RuntimeException}.
 */
public class ProcException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with no underlying cause.
     *
     * @param message what failed
     */
    public ProcException(String message) {
        super(message);
    }

    /**
     * A failure caused by another exception.
     *
     * @param message what failed
     * @param cause the exception that caused it
     */
    public ProcException(String message, Throwable cause) {
        super(message, cause);
    }
}
