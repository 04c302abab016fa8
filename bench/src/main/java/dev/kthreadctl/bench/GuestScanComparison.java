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
 * kernel threads through the module, then times in one run a warm Java scan
 * and the two C scanners (in turns), a new Java scanner per scan, ps and
 * OSHI's getProcesses(), and prints the medians and the ratios the project's
 * targets are stated in.
 *
 * <p>Usage: GuestScanComparison THREADS ROUNDS MINIMAL_SCAN_BINARY
 */
public final class GuestScanComparison {
    /* Turns of Java, then each C scanner, for the headline ratios. */
    private static final int TURNS = 5;

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
            Callable<Integer> javaScan = () -> scanner.scan().tasks().size();
            median(rounds, 3 * rounds, javaScan); // warm-up for the JIT, timed but not reported
            // Java and the two C scanners take turns: under an emulator any program's speed drifts by a
            // factor of two between minutes, and a ratio of runs minutes apart measures the drift.
            int perTurn = Math.max(5, rounds / 4);
            double[] javaMs = new double[TURNS];
            double[] keptMs = new double[TURNS];
            double[] openingMs = new double[TURNS];
            for (int turn = 0; turn < TURNS; turn++) {
                javaMs[turn] = median(perTurn, 0, javaScan);
                keptMs[turn] = minimalScan(minimalScan, perTurn, "--kept");
                openingMs[turn] = minimalScan(minimalScan, perTurn);
            }
            double java = Medians.of(javaMs);
            double kept = Medians.of(keptMs);
            double c = Medians.of(openingMs);
            // A new scanner each time opens every file, as a one-shot 'kthreadctl list' does.
            double cold = median(rounds, rounds, () -> {
                try (ProcScanner fresh = new ProcScanner()) {
                    return fresh.scan().tasks().size();
                }
            });
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
                    + " each file = %.2f (medians of %d turns' ratios; new scanner per scan: %.2f); ps / Java = %.1f"
                    + " (target >= 3); OSHI / Java = %.1f (target >= 5)%n", Medians.of(ratios(javaMs, keptMs)),
                    Medians.of(ratios(javaMs, openingMs)), TURNS, cold / c, ps / java, oshi / java);
            System.out.printf(Locale.ROOT, "turns, ms (Java, C kept, C opening):%s%n", turnsText(javaMs, keptMs,
                    openingMs));

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
