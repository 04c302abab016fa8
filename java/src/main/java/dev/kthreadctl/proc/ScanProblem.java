package dev.kthreadctl.proc;

import java.nio.file.Path;

/** A file that a scan could read but not make sense of, and why. */
public record ScanProblem(Path path, String message) {
}
