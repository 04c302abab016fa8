package dev.kthreadctl.device;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * How to create a thread: its name, how long it sleeps between iterations and
 * the value its function returns when stopped.
 *
 * @param name 1 to 63 bytes of UTF-8 with no NUL: the kernel's limit for the
 *             name /proc shows
 * @param period 1 ms to 60 s, whole milliseconds
 * @param exitValue what kthread_stop() will return once the thread has run
 */
public record ThreadSpec(String name, Duration period, int exitValue) {
    public static final int NAME_MAX_BYTES = UapiStructure.NAME_LEN - 1;
    public static final Duration PERIOD_MIN = Duration.ofMillis(1);
    public static final Duration PERIOD_MAX = Duration.ofSeconds(60);
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(100);

    public ThreadSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(period, "period");
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > NAME_MAX_BYTES) {
            throw new IllegalArgumentException("thread name must be 1 to " + NAME_MAX_BYTES
                    + " bytes of UTF-8, got " + bytes + ": '" + name + "'");
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("thread name must not contain NUL");
        }
        if (period.compareTo(PERIOD_MIN) < 0 || period.compareTo(PERIOD_MAX) > 0
                || period.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("period must be whole milliseconds from "
                    + PERIOD_MIN.toMillis() + " to " + PERIOD_MAX.toMillis() + " ms, got " + period);
        }
    }

    /** A thread with the default period that returns 0. */
    public static ThreadSpec named(String name) {
        return new ThreadSpec(name, DEFAULT_PERIOD, 0);
    }

    public ThreadSpec withPeriod(Duration newPeriod) {
        return new ThreadSpec(name, newPeriod, exitValue);
    }

    public ThreadSpec withExitValue(int newExitValue) {
        return new ThreadSpec(name, period, newExitValue);
    }
}
