// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import java.util.Arrays;

/** The median the guest comparisons report: of rounds, of turns, and of their ratios. */
final class Medians {
    private Medians() {
    }

    /** The middle value; for an even count, the mean of the two middle ones. */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
