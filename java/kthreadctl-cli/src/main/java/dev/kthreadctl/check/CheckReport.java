// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import dev.kthreadctl.verify.Verdict;
import java.util.List;

/**
 * Every check's result for one module, and where it ran.
 *
 * <p>Immutable and thread-safe: the result list is an unmodifiable copy.
 *
 * @param module the module's file, as given
 * @param kernel the running kernel's release
 * @param results each check's result, in check order
 * @param kernelLeftClean false if the module may have left the kernel worse
 *                        off for what runs next: an rmmod that did not
 *                        finish, kernel threads that outlived it, or a
 *                        complaint in the kernel log
 */
public record CheckReport(String module, String kernel, List<CheckResult> results, boolean kernelLeftClean) {
    public CheckReport {
        results = List.copyOf(results);
    }

    /**
     * The points earned.
     *
     * @return the sum over the results
     */
    public int points() {
        return results.stream().mapToInt(CheckResult::points).sum();
    }

    /**
     * The points there were to earn.
     *
     * @return the sum of the checks that apply
     */
    public int maxPoints() {
        return results.stream().mapToInt(CheckResult::maxPoints).sum();
    }

    /**
     * Whether no check failed.
     *
     * @return true if no result is {@link Verdict#FAIL}
     */
    public boolean passed() {
        return results.stream().noneMatch(r -> r.verdict() == Verdict.FAIL);
    }
}
