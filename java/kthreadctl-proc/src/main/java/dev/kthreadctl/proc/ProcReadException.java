// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * A /proc file or directory that exists could not be read (hidepid, permissions, I/O).
 *
 * <p>Immutable once thrown. The path is not serialized: a deserialized
 * instance has no path.
 */
public final class ProcReadException extends ProcException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;

    /**
     * A read that failed; the message names the path and the reason
     * ({@code "permission denied"} for an {@link java.nio.file.AccessDeniedException}).
     *
     * @param path the file or directory that could not be read
     * @param cause the I/O error the read got
     */
    public ProcReadException(Path path, IOException cause) {
        super("cannot read " + path + ": " + reason(cause), cause);
        this.path = path;
    }

    /**
     * The file or directory that could not be read.
     *
     * @return its path, or null if this exception was deserialized
     */
    public Path path() {
        return path;
    }

    /* NIO's file exceptions carry the path as their message; the reason is what a reader needs. */
    static String reason(IOException cause) {
        if (cause instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (cause instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (cause instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (cause instanceof FileSystemException && ((FileSystemException) cause).getReason() != null) {
            return ((FileSystemException) cause).getReason();
        }
        return String.valueOf(cause.getMessage());
    }
}
