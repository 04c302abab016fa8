// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;

/**
 * Warms code up until the JIT has finished with it. A fixed number of
 * untimed calls is not enough under an emulator: there the JIT's last
 * compilations take seconds, run on the guest's other CPU, and (one
 * emulator thread serving every CPU in turn) the time they take is charged
 * to the calls being timed. In one guest run the same scan took 456, then
 * 374, then 251 ms a scan while the JIT was still compiling.
 *
 * <p>The JIT's total compilation time grows only when a compilation
 * finishes, so one batch without growth may still have had a compilation
 * running through it: the warm-up ends after {@link #QUIET_BATCHES} such
 * batches in a row.
 */
final class JitWarmUp {
    /** Batches in a row with no compilation finished, for the JIT to count as done. */
    static final int QUIET_BATCHES = 3;

    /** What a warm-up took. */
    record Result(int calls, long compilingMillis, boolean quiet) {
        @Override
        public String toString() {
            if (compilingMillis < 0) {
                return calls + " calls (this JVM does not report JIT compilation time)";
            }
            return calls + " calls, " + compilingMillis + " ms of JIT compiling"
                    + (quiet ? ", until " + QUIET_BATCHES + " batches in a row compiled nothing"
                            : ", stopped at the limit with the JIT still busy");
        }
    }

    private JitWarmUp() {
    }

    /**
     * Calls {@code work} in batches until {@link #QUIET_BATCHES} whole batches
     * in a row pass without the JIT finishing a compilation, or
     * {@code maxCalls} calls have been made.
     */
    static Result untilQuiet(Callable<?> work, int batch, int maxCalls) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
            for (int i = 0; i < maxCalls; i++) {
                work.call();
            }
            return new Result(maxCalls, -1, false);
        }
        long start = jit.getTotalCompilationTime();
        long before = start;
        int calls = 0;
        int quiet = 0;
        while (calls < maxCalls) {
            for (int i = 0; i < batch; i++) {
                work.call();
            }
            calls += batch;
            long now = jit.getTotalCompilationTime();
            quiet = now == before ? quiet + 1 : 0;
            before = now;
            if (quiet == QUIET_BATCHES) {
                return new Result(calls, now - start, true);
            }
        }
        return new Result(calls, before - start, false);
    }
}
