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
 */
final class JitWarmUp {
    /** What a warm-up took. */
    record Result(int calls, long compilingMillis, boolean quiet) {
        @Override
        public String toString() {
            return calls + " calls, " + compilingMillis + " ms of JIT compiling"
                    + (quiet ? ", until a batch compiled nothing" : ", stopped at the limit with the JIT still busy");
        }
    }

    private JitWarmUp() {
    }

    /**
     * Calls {@code work} in batches until a whole batch passes without the
     * JIT compiling anything, or {@code maxCalls} calls have been made.
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
        while (calls < maxCalls) {
            for (int i = 0; i < batch; i++) {
                work.call();
            }
            calls += batch;
            long now = jit.getTotalCompilationTime();
            if (now == before) {
                return new Result(calls, now - start, true);
            }
            before = now;
        }
        return new Result(calls, before - start, false);
    }
}
