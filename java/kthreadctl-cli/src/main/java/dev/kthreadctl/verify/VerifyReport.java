// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

import java.util.List;

/**
 * Every claim's result, and where it ran.
 *
 * <p>Immutable and thread-safe: the result list is an unmodifiable copy.
 *
 * @param kernel the running kernel's release (the {@code os.version} property)
 * @param module the loaded module's version, or empty if none was loaded
 * @param results each claim's result, in claim order
 */
public record VerifyReport(String kernel, String module, List<ClaimResult> results) {
    public VerifyReport {
        results = List.copyOf(results);
    }

    /**
     * How many claims got a verdict.
     *
     * @param verdict the verdict to count
     * @return the number of results with it
     */
    public long count(Verdict verdict) {
        return results.stream().filter(r -> r.verdict() == verdict).count();
    }

    /**
     * Whether no claim failed; skipped claims do not count against it.
     *
     * @return true if no result is {@link Verdict#FAIL}
     */
    public boolean passed() {
        return count(Verdict.FAIL) == 0;
    }
}
