package dev.kthreadctl.device;

import java.time.Duration;

/** What the module knows of one managed thread. */
public record ThreadInfo(long id, int pid, String name, long iterations, ThreadState state,
        Duration period, int exitValue) {
}
