// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How to check a module.
 *
 * <p>Immutable and thread-safe.
 *
 * @param module the module file; empty if its build failed (then
 *               {@code buildLog} says why and nothing is loaded)
 * @param buildLog the log of the build that made it, when it was built
 *                 from source; empty for a module given as a file
 * @param expect the pattern every thread's name must match (the whole
 *               name); empty to take any new kernel thread but kworkers
 * @param threads how many threads the module must start, at least 1
 * @param allowSpin whether a thread may use a CPU without sleeping
 * @param maxCpuPercent the share of one CPU above which a thread spins
 * @param window how long the threads are watched while the module is loaded
 * @param unloadTimeout how long insmod and rmmod may take
 */
public record CheckOptions(Optional<Path> module, Optional<Path> buildLog, Optional<Pattern> expect, int threads,
        boolean allowSpin, int maxCpuPercent, Duration window, Duration unloadTimeout) {
    public CheckOptions {
        if (module.isEmpty() && buildLog.isEmpty()) {
            throw new IllegalArgumentException("a module to check is needed, or the log of its failed build");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        }
        if (maxCpuPercent < 1 || maxCpuPercent > 100) {
            throw new IllegalArgumentException("--max-cpu is a percentage, 1 to 100, not " + maxCpuPercent);
        }
        if (window.isNegative() || window.isZero() || unloadTimeout.isNegative() || unloadTimeout.isZero()) {
            throw new IllegalArgumentException("the window and the unload timeout must be positive");
        }
    }

    /**
     * Whether a check counts: builds only for a module built from source,
     * sleeps only without --allow-spin.
     *
     * @param check a check
     * @return false if it is skipped whatever the module does
     */
    public boolean applies(Check check) {
        return switch (check) {
            case BUILDS -> buildLog.isPresent();
            case SLEEPS -> !allowSpin;
            default -> true;
        };
    }

    /**
     * The points there are to earn with these options.
     *
     * @return the sum of the points of the checks that apply
     */
    public int possiblePoints() {
        int points = 0;
        for (Check check : Check.values()) {
            points += applies(check) ? check.points() : 0;
        }
        return points;
    }
}
