// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import dev.kthreadctl.device.internal.UapiStructure;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How to create a thread. Start from {@link #named(String)} and change what
 * differs from the defaults: sleep work, 100 ms periods, exit value 0,
 * unbound, any NUMA node.
 *
 * <p>Immutable and thread-safe: every wither returns a new spec.
 *
 * @param name 1 to 63 characters of printable ASCII (space to '~'): the
 *             kernel's limit for the name /proc shows, and what the module
 *             accepts, since names reach terminals through ps and the log
 * @param work what each iteration does
 * @param period how long one iteration lasts: 1 ms to 60 s, whole milliseconds
 * @param iterations for {@link WorkKind#COUNT}, how many iterations before
 *                   the function returns by itself (at least 1); else 0
 * @param exitValue what the thread function returns
 * @param cpu the CPU to bind it to before its first wake, if any
 * @param node the NUMA node to allocate it on, if any
 */
public record ThreadSpec(String name, WorkKind work, Duration period, long iterations, int exitValue,
        OptionalInt cpu, OptionalInt node) {
    /** The longest name: 63, the module's name field less its terminating NUL. */
    public static final int NAME_MAX_BYTES = UapiStructure.NAME_LEN - 1;
    /** The shortest period: 1 ms. */
    public static final Duration PERIOD_MIN = Duration.ofMillis(1);
    /** The longest period: 60 s. */
    public static final Duration PERIOD_MAX = Duration.ofSeconds(60);
    /** The period of {@link #named(String)}: 100 ms. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(100);

    /**
     * Checks every component against the limits above.
     *
     * @param name 1 to {@value #NAME_MAX_BYTES} characters of printable ASCII
     * @param work what each iteration does
     * @param period whole milliseconds from {@link #PERIOD_MIN} to {@link #PERIOD_MAX}
     * @param iterations at least 1 for {@link WorkKind#COUNT}, else 0
     * @param exitValue what the thread function returns
     * @param cpu the CPU to bind it to, 0 or more, if any
     * @param node the NUMA node to allocate it on, 0 or more, if any
     * @throws NullPointerException if an object component is null
     * @throws IllegalArgumentException if a component is out of its range
     */
    public ThreadSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(work, "work");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(node, "node");
        checkName(name);
        if (period.compareTo(PERIOD_MIN) < 0 || period.compareTo(PERIOD_MAX) > 0
                || period.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("period must be whole milliseconds from "
                    + PERIOD_MIN.toMillis() + " to " + PERIOD_MAX.toMillis() + " ms, got " + period);
        }
        if (work == WorkKind.COUNT ? iterations < 1 : iterations != 0) {
            throw new IllegalArgumentException(work == WorkKind.COUNT
                    ? "count work needs at least 1 iteration, got " + iterations
                    : "iterations apply to count work only, not " + work.name().toLowerCase(Locale.ROOT));
        }
        if (cpu.isPresent() && cpu.getAsInt() < 0) {
            throw new IllegalArgumentException("cpu must be 0 or more, got " + cpu.getAsInt());
        }
        if (node.isPresent() && node.getAsInt() < 0) {
            throw new IllegalArgumentException("NUMA node must be 0 or more, got " + node.getAsInt());
        }
    }

    private static void checkName(String name) {
        if (name.isEmpty() || name.length() > NAME_MAX_BYTES) {
            throw new IllegalArgumentException("thread name must be 1 to " + NAME_MAX_BYTES
                    + " characters, got " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "thread name has character U+%04X at position %d: only printable ASCII"
                                + " (space to '~') is allowed", (int) c, i + 1));
            }
        }
    }

    /**
     * A sleeping thread with the default period that returns 0.
     *
     * @param name 1 to {@value #NAME_MAX_BYTES} characters of printable ASCII
     * @return the spec
     * @throws IllegalArgumentException if the name is empty, too long or not printable ASCII
     */
    public static ThreadSpec named(String name) {
        return new ThreadSpec(name, WorkKind.SLEEP, DEFAULT_PERIOD, 0, 0, OptionalInt.empty(), OptionalInt.empty());
    }

    /**
     * Another kind of work. The withers compose in any order, the last word
     * winning: count work keeps an iteration count set before (else 1), any
     * other kind drops it.
     *
     * @param newWork the work each iteration does
     * @return a new spec
     */
    public ThreadSpec withWork(WorkKind newWork) {
        long newIterations = newWork == WorkKind.COUNT ? Math.max(1, iterations) : 0;
        return new ThreadSpec(name, newWork, period, newIterations, exitValue, cpu, node);
    }

    /**
     * Count work: the function returns by itself after {@code count} iterations.
     *
     * @param count how many iterations, at least 1
     * @return a new spec
     * @throws IllegalArgumentException if {@code count} is less than 1
     */
    public ThreadSpec counting(long count) {
        return new ThreadSpec(name, WorkKind.COUNT, period, count, exitValue, cpu, node);
    }

    /**
     * Another period.
     *
     * @param newPeriod whole milliseconds from {@link #PERIOD_MIN} to {@link #PERIOD_MAX}
     * @return a new spec
     * @throws IllegalArgumentException if the period is out of range or not whole milliseconds
     */
    public ThreadSpec withPeriod(Duration newPeriod) {
        return new ThreadSpec(name, work, newPeriod, iterations, exitValue, cpu, node);
    }

    /**
     * Another value for the thread function to return.
     *
     * @param newExitValue what the function returns
     * @return a new spec
     */
    public ThreadSpec withExitValue(int newExitValue) {
        return new ThreadSpec(name, work, period, iterations, newExitValue, cpu, node);
    }

    /**
     * Bound to a CPU before its first wake.
     *
     * @param newCpu the CPU, 0 or more
     * @return a new spec
     * @throws IllegalArgumentException if {@code newCpu} is negative
     */
    public ThreadSpec boundTo(int newCpu) {
        return new ThreadSpec(name, work, period, iterations, exitValue, OptionalInt.of(newCpu), node);
    }

    /**
     * Allocated on a NUMA node.
     *
     * @param newNode the node, 0 or more
     * @return a new spec
     * @throws IllegalArgumentException if {@code newNode} is negative
     */
    public ThreadSpec onNode(int newNode) {
        return new ThreadSpec(name, work, period, iterations, exitValue, cpu, OptionalInt.of(newNode));
    }
}
