// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.verify;

/**
 * What an experiment found.
 *
 * <p>Immutable and thread-safe.
 */
public enum Verdict {
    /** Every check of the experiment held. */
    PASS,
    /** A check did not hold, or the experiment itself failed. */
    FAIL,
    /** The experiment did not run: the module could not be opened, or claim 11 had no module file. */
    SKIP
}
