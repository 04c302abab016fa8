// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.nio.file.Path;

/**
 * A file that a scan could not read or not make sense of, and why.
 *
 * <p>Immutable and thread-safe.
 *
 * @param path the file
 * @param message why: {@code "permission denied"}, another I/O error's
 *                message, or what did not parse
 */
public record ScanProblem(Path path, String message) {
}
