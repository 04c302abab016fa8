// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.proc.ProcScanner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/**
 * Runs in the guest as root with the module loaded (vm/bench.sh): adds
 * kernel threads through the module, then times in one run a warm Java scan,
 * the minimal C scanner, ps and OSHI's getProcesses(), and prints the
 * medians and the ratios the project's targets are stated in.
 *
 * <p>Usage: GuestScanComparison THREADS ROUNDS MINIMAL_SCAN_BINARY
 */
public final class GuestScanComparison {
    private GuestScanComparison() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String minimalScan = args[2];

        List<Long> ids = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            long started = System.nanoTime();
            for (int i = 0; i < threads; i++) {
                // Asleep for a minute at a time: present in /proc, idle on the CPU.
                CreatedThread thread = device.run(ThreadSpec.named("kt-bench-" + i).withPeriod(Duration.ofSeconds(60)));
                ids.add(thread.id());
            }
            System.out.printf(Locale.ROOT, "created %d kernel threads in %.1f s%n", threads,
                    (System.nanoTime() - started) / 1e9);

            // Allowed to keep every stat file open, as the kept-descriptor C scanner does: the
            // library's default keeps at most ProcScanner.KEEP_OPEN_DEFAULT, fewer than these tasks.
            ProcScanner scanner = new ProcScanner(java.nio.file.Paths.get("/proc"), Integer.MAX_VALUE);
            int tasks = scanner.scan().tasks().size();
            double java = median(rounds, 3 * rounds, () -> scanner.scan().tasks().size());
            // A new scanner each time opens every file, as a one-shot 'kthreadctl list' does.
            double cold = median(rounds, rounds, () -> {
                try (ProcScanner fresh = new ProcScanner()) {
                    return fresh.scan().tasks().size();
                }
            });
            double c = minimalScan(minimalScan, rounds);
            double kept = minimalScan(minimalScan, rounds, "--kept");
            double ps = median(Math.max(3, rounds / 4), 1, () -> Programs.run("ps", "-e", "-o", "pid,ppid,stat,comm"));
            OperatingSystem os = new SystemInfo().getOperatingSystem();
            double oshi = median(Math.max(3, rounds / 4), 1, () -> os.getProcesses().size());

            System.out.printf(Locale.ROOT, "tasks per scan: %d%n", tasks);
            System.out.printf(Locale.ROOT, "%-28s %10s %s%n", "scanner", "median ms", "vs Java");
            report("Java ProcScanner (warm)", java, java);
            // What a long-lived program gets without asking: the default scanner, warm.
            double capped;
            try (ProcScanner byDefault = new ProcScanner()) {
                capped = median(rounds, 3 * rounds, () -> byDefault.scan().tasks().size());
            }
            report("Java, default (keeps " + ProcScanner.KEEP_OPEN_DEFAULT + ")", capped, java);
            report("Java, a new scanner per scan", cold, java);
            report("minimal C (readdir + stat)", c, java);
            report("C, kept descriptors (pread)", kept, java);
            report("ps -e -o pid,ppid,stat,comm", ps, java);
            report("OSHI getProcesses()", oshi, java);
            // The fair anchor is the C scanner that keeps descriptors too: the same method, in C.
            System.out.printf(Locale.ROOT, "Java / C kept descriptors = %.2f (target <= 1.5); Java / C opening"
                    + " each file = %.2f (new scanner per scan: %.2f); ps / Java = %.1f (target >= 3);"
                    + " OSHI / Java = %.1f (target >= 5)%n", java / kept, java / c, cold / c, ps / java, oshi / java);

            for (long id : ids) {
                device.stop(id);
            }
        }
    }

    private static void report(String name, double ms, double java) {
        System.out.printf(Locale.ROOT, "%-28s %10.1f %6.2fx%n", name, ms, ms / java);
    }

    /** Median wall time in ms of {@code rounds} calls, after {@code warmup} untimed ones. */
    private static double median(int rounds, int warmup, Callable<?> call) throws Exception {
        for (int i = 0; i < warmup; i++) {
            call.call();
        }
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            call.call();
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }

    /** The C scanner times itself: its median excludes its own start-up. */
    private static double minimalScan(String binary, int rounds, String... mode)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(binary, Integer.toString(rounds)));
        command.addAll(List.of(mode));
        String[] out = Programs.run(command.toArray(String[]::new)).trim().split(" ");
        return Double.parseDouble(out[0]);
    }
}
