// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

/**
 * What an experiment (verify) or a check of a module (check) found.
 *
 * <p>Immutable and thread-safe.
 */
public enum Verdict {
    /** Every check of the experiment held. */
    PASS,
    /** A check did not hold, or the experiment itself failed. */
    FAIL,
    /**
     * It did not apply: for verify, the module could not be opened, or claim
     * 11 had no module file; for check, an option (--allow-spin) or a
     * module given without its source ruled it out.
     */
    SKIP
}
