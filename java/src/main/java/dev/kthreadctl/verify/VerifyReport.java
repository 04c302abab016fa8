package dev.kthreadctl.verify;

import java.util.List;

/**
 * Every claim's result, and where it ran.
 *
 * @param module the loaded module's version, or empty if none was loaded
 */
public record VerifyReport(String kernel, String module, List<ClaimResult> results) {
    public VerifyReport {
        results = List.copyOf(results);
    }

    public long count(Verdict verdict) {
        return results.stream().filter(r -> r.verdict() == verdict).count();
    }

    public boolean passed() {
        return count(Verdict.FAIL) == 0;
    }
}
