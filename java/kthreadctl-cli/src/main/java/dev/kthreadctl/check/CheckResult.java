// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import dev.kthreadctl.verify.Verdict;
import java.util.List;

/**
 * One check's verdict, why, and what was observed.
 *
 * <p>Immutable and thread-safe: the evidence list is an unmodifiable copy.
 *
 * @param check the check
 * @param verdict PASS, FAIL, or SKIP where the check does not apply (it then
 *                counts neither for nor against the total)
 * @param reason for FAIL, what did not hold; for SKIP, why it does not apply
 * @param evidence what was observed, one fact a line
 */
public record CheckResult(Check check, Verdict verdict, String reason, List<String> evidence) {
    public CheckResult {
        evidence = List.copyOf(evidence);
    }

    static CheckResult pass(Check check, List<String> evidence) {
        return new CheckResult(check, Verdict.PASS, "", evidence);
    }

    static CheckResult fail(Check check, String reason, List<String> evidence) {
        return new CheckResult(check, Verdict.FAIL, reason, evidence);
    }

    static CheckResult skip(Check check, String reason) {
        return new CheckResult(check, Verdict.SKIP, reason, List.of());
    }

    /** A check that could not run because an earlier step failed: it earns nothing. */
    static CheckResult notRun(Check check, String why) {
        return fail(check, "not run: " + why, List.of());
    }

    /**
     * The points earned.
     *
     * @return the check's points if it passed, else 0
     */
    public int points() {
        return verdict == Verdict.PASS ? check.points() : 0;
    }

    /**
     * The points it was worth.
     *
     * @return the check's points, or 0 for a check that does not apply
     */
    public int maxPoints() {
        return verdict == Verdict.SKIP ? 0 : check.points();
    }
}
