// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.ThreadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** What the guest scan benchmarks share: idle kernel threads to scan, and wall-clock timing. */
final class Timing {
    private Timing() {
    }

    /** Runs {@code count} kernel threads asleep a minute at a time: present in /proc, idle on the CPU. */
    static List<Long> sleepingThreads(KthreadDevice device, String prefix, int count) throws KthreadctlException {
        List<Long> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(device.run(ThreadSpec.named(prefix + i).withPeriod(Duration.ofSeconds(60))).id());
        }
        return ids;
    }

    /** Wall time in ms of one call. */
    static double ms(Callable<?> call) throws Exception {
        long start = System.nanoTime();
        call.call();
        return (System.nanoTime() - start) / 1e6;
    }

    /** Median wall time in ms of {@code rounds} calls, after {@code warmup} untimed ones. */
    static double median(int rounds, int warmup, Callable<?> call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.call();
        }
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            ms[i] = ms(call);
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
