package dev.kthreadctl.verify;

import java.util.List;

/**
 * One claim's verdict, why, and what was observed.
 *
 * @param reason for FAIL and SKIP, why; for PASS, empty
 * @param evidence what was observed, one fact a line
 */
public record ClaimResult(Claim claim, Verdict verdict, String reason, List<String> evidence) {
    public ClaimResult {
        evidence = List.copyOf(evidence);
    }
}
