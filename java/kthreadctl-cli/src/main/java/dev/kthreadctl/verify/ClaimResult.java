// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

import java.util.List;

/**
 * One claim's verdict, why, and what was observed.
 *
 * <p>Immutable and thread-safe: the evidence list is an unmodifiable copy.
 *
 * @param claim the claim checked
 * @param verdict what its experiment found
 * @param reason for FAIL, the first check that did not hold; for SKIP, why
 *               it did not run; for PASS, empty
 * @param evidence what was observed, one fact a line
 */
public record ClaimResult(Claim claim, Verdict verdict, String reason, List<String> evidence) {
    public ClaimResult {
        evidence = List.copyOf(evidence);
    }
}
