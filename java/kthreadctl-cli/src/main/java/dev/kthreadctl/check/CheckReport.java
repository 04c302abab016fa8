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
 */
public record CheckReport(String module, String kernel, List<CheckResult> results) {
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
