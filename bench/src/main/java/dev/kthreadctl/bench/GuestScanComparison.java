// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.proc.ProcScanner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import oshi.SystemInfo;
import oshi.software.os.OperatingSystem;

/**
 * Runs in the guest as root with the module loaded (vm/bench.sh): adds
 * kernel threads through the module, then times in one run a warm Java scan
 * and the two C scanners (alternating scan by scan), a new Java scanner per
 * scan, ps and
 * OSHI's getProcesses(), and prints the medians and the ratios the project's
 * targets are stated in.
 *
 * <p>Usage: GuestScanComparison THREADS ROUNDS MINIMAL_SCAN_BINARY
 */
public final class GuestScanComparison {
    /* Scans of Java and of each C scanner, alternating, for the headline ratios. */
    private static final int PAIRS = 30; // a multiple of 3: each order of the three comes as often

    private GuestScanComparison() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String minimalScan = args[2];

        List<Long> ids = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            long started = System.nanoTime();
            ids.addAll(Timing.sleepingThreads(device, "kt-bench-", threads));
            System.out.printf(Locale.ROOT, "created %d kernel threads in %.1f s%n", threads,
                    (System.nanoTime() - started) / 1e9);

            // Allowed to keep every stat file open, as the kept-descriptor C scanner does: the
            // library's default keeps at most ProcScanner.KEEP_OPEN_DEFAULT, fewer than these tasks.
            ProcScanner scanner = new ProcScanner(java.nio.file.Paths.get("/proc"), Integer.MAX_VALUE);
            int tasks = scanner.scan().tasks().size();
            Callable<Integer> javaScan = () -> scanner.scan().tasks().size();
            // At least the old fixed warm-up, then on until the JIT is done with the scan.
            Timing.median(rounds, 3 * rounds, javaScan);
            JitWarmUp.Result warmUp = JitWarmUp.untilQuiet(javaScan, 5, 10 * rounds);
            System.out.printf(Locale.ROOT, "Java warm-up after %d scans: %s%n", 4 * rounds, warmUp);
            // Java and the two C scanners alternate scan by scan, the order rotating: under an emulator any
            // program's speed drifts by a factor of two over a minute, and a ratio of runs far apart measures
            // the drift. The C scanners are kept running and asked for one scan at a time.
            double[] javaMs = new double[PAIRS];
            double[] keptMs = new double[PAIRS];
            double[] openingMs = new double[PAIRS];
            int[] keptTasks = new int[PAIRS];
            int[] openingTasks = new int[PAIRS];
            try (ScanServer keptScanner = new ScanServer(minimalScan, "--kept");
                    ScanServer openingScanner = new ScanServer(minimalScan)) {
                // Untimed: wait out each scanner's first scan (the one that opens the kept files), so that no
                // timed scan shares the machine with it.
                keptScanner.scan();
                openingScanner.scan();
                for (int i = 0; i < PAIRS; i++) {
                    for (int step = 0; step < 3; step++) {
                        switch ((i + step) % 3) {
                            case 0 -> javaMs[i] = Timing.ms(javaScan);
                            case 1 -> keptMs[i] = counted(keptScanner.scan(), keptTasks, i);
                            default -> openingMs[i] = counted(openingScanner.scan(), openingTasks, i);
                        }
                    }
                }
            }
            double java = Medians.of(javaMs);
            double kept = Medians.of(keptMs);
            double c = Medians.of(openingMs);
            // A new scanner each time opens every file, as a one-shot 'kthreadctl list' does.
            double cold = Timing.median(rounds, rounds, () -> {
                try (ProcScanner fresh = new ProcScanner()) {
                    return fresh.scan().tasks().size();
                }
            });
            double ps = Timing.median(Math.max(3, rounds / 4), 1, () -> Programs.run("ps", "-e", "-o", "pid,ppid,stat,comm"));
            OperatingSystem os = new SystemInfo().getOperatingSystem();
            double oshi = Timing.median(Math.max(3, rounds / 4), 1, () -> os.getProcesses().size());

            System.out.printf(Locale.ROOT, "tasks per scan: %d%n", tasks);
            System.out.printf(Locale.ROOT, "%-28s %10s %s%n", "scanner", "median ms", "vs Java");
            report("Java ProcScanner (warm)", java, java);
            // What a long-lived program gets without asking: the default scanner, warm.
            double capped;
            try (ProcScanner byDefault = new ProcScanner()) {
                Callable<Integer> scan = () -> byDefault.scan().tasks().size();
                Timing.median(rounds, 3 * rounds, scan);
                JitWarmUp.untilQuiet(scan, 5, 10 * rounds);
                capped = Timing.median(rounds, 0, scan);
            }
            report("Java, default (keeps " + ProcScanner.KEEP_OPEN_DEFAULT + ")", capped, java);
            report("Java, a new scanner per scan", cold, java);
            report("minimal C (readdir + stat)", c, java);
            report("C, kept descriptors (pread)", kept, java);
            report("ps -e -o pid,ppid,stat,comm", ps, java);
            report("OSHI getProcesses()", oshi, java);
            // The fair anchor is the C scanner that keeps descriptors too: the same method, in C.
            double[] keptRatios = ratios(javaMs, keptMs);
            System.out.printf(Locale.ROOT, "Java / C kept descriptors = %.2f (target <= 1.5; quartiles %.2f to %.2f);"
                    + " Java / C opening each file = %.2f (medians of %d alternating scans' ratios; new scanner per"
                    + " scan: %.2f); ps / Java = %.1f (target >= 3); OSHI / Java = %.1f (target >= 5)%n",
                    Medians.of(keptRatios), quantile(keptRatios, 0.25), quantile(keptRatios, 0.75),
                    Medians.of(ratios(javaMs, openingMs)), PAIRS, cold / c, ps / java, oshi / java);
            System.out.printf(Locale.ROOT, "scans, ms (Java/C kept/C opening):%s%n", turnsText(javaMs, keptMs,
                    openingMs));
            // The C scanners must have read as many tasks as Java: one that skipped files would be fast for it.
            System.out.printf(Locale.ROOT, "tasks per scan, fewest and most: C kept %d to %d, C opening %d to %d"
                    + " (Java: %d)%n", Arrays.stream(keptTasks).min().getAsInt(), Arrays.stream(keptTasks).max()
                            .getAsInt(), Arrays.stream(openingTasks).min().getAsInt(), Arrays.stream(openingTasks)
                                    .max().getAsInt(), tasks);

            for (long id : ids) {
                device.stop(id);
            }
        }
    }

    private static double[] ratios(double[] java, double[] c) {
        double[] ratios = new double[java.length];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = java[i] / c[i];
        }
        return ratios;
    }

    /* The q-quantile by the nearest rank: the smallest value with at least a share q of the values at or below it. */
    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double counted(ScanServer.Scan scan, int[] tasks, int i) {
        tasks[i] = scan.tasks();
        return scan.ms();
    }

    private static String turnsText(double[] java, double[] kept, double[] opening) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < java.length; i++) {
            text.append(String.format(Locale.ROOT, " %.0f/%.0f/%.0f", java[i], kept[i], opening[i]));
        }
        return text.toString();
    }

    private static void report(String name, double ms, double java) {
        System.out.printf(Locale.ROOT, "%-28s %10.1f %6.2fx%n", name, ms, ms / java);
    }

}
