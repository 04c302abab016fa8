// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.ThreadSpec;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs in the guest as root with the module loaded (vm/bench.sh): the
 * control path from Java, warm, against the small C client making the same
 * ioctls (bench/src/main/c/control-client.c), in one run. Prints each figure
 * and Java's share of the C client's speed (target: at least 0.9).
 *
 * <p>Usage: GuestControlComparison CYCLES BULK ROUNDTRIPS CONTROL_CLIENT_BINARY
 */
public final class GuestControlComparison {
    /** One run's figures, as the C client prints them. */
    record Figures(double cyclesPerSecond, double bulkRunSeconds, double bulkStopSeconds, double infoPerSecond,
            double listPerSecond) {
        static Figures parse(String line) {
            String[] f = line.trim().split(" ");
            return new Figures(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]));
        }
    }

    private GuestControlComparison() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        int bulk = Integer.parseInt(args[1]);
        int roundtrips = Integer.parseInt(args[2]);
        Figures java;
        try (KthreadDevice device = KthreadDevice.open()) {
            // Warm: the same work once untimed, for the JIT (slow to finish under an emulator)
            // and JNA's structure layouts; the second run is the one reported.
            measure(device, cycles, bulk, roundtrips);
            java = measure(device, cycles, bulk, roundtrips);
        }
        Figures c = Figures.parse(Programs.run(args[3], args[0], args[1], args[2]));

        System.out.printf(Locale.ROOT, "control path: %d create-wake-stop cycles, %d threads in bulk, %d round trips%n",
                cycles, bulk, roundtrips);
        System.out.printf(Locale.ROOT, "%-34s %12s %12s %8s%n", "", "Java (warm)", "C client", "Java/C");
        rate("create -> wake -> stop, per s", java.cyclesPerSecond(), c.cyclesPerSecond());
        time("run " + bulk + " threads, s", java.bulkRunSeconds(), c.bulkRunSeconds());
        time("stop them all, s", java.bulkStopSeconds(), c.bulkStopSeconds());
        rate("INFO round trips, per s", java.infoPerSecond(), c.infoPerSecond());
        rate("LIST round trips (10 threads), per s", java.listPerSecond(), c.listPerSecond());
        System.out.println("Java/C is Java's speed as a share of C's: target >= 0.9");
    }

    private static Figures measure(KthreadDevice device, int cycles, int bulk, int roundtrips)
            throws KthreadctlException {
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            CreatedThread thread = device.create(spec(i));
            device.wake(thread.id());
            device.stop(thread.id());
        }
        double cyclesPerSecond = cycles / seconds(start);

        List<Long> ids = new ArrayList<>(bulk);
        start = System.nanoTime();
        for (int i = 0; i < bulk; i++) {
            ids.add(device.run(spec(i)).id());
        }
        double bulkRun = seconds(start);
        start = System.nanoTime();
        for (long id : ids) {
            device.stop(id);
        }
        double bulkStop = seconds(start);

        ids.clear();
        for (int i = 0; i < 10; i++) {
            ids.add(device.run(spec(i)).id());
        }
        start = System.nanoTime();
        for (int i = 0; i < roundtrips; i++) {
            device.info(ids.get(0));
        }
        double infoPerSecond = roundtrips / seconds(start);
        start = System.nanoTime();
        for (int i = 0; i < roundtrips; i++) {
            device.list();
        }
        double listPerSecond = roundtrips / seconds(start);
        for (long id : ids) {
            device.stop(id);
        }
        return new Figures(cyclesPerSecond, bulkRun, bulkStop, infoPerSecond, listPerSecond);
    }

    /* A sleep-kind thread, as the C client makes them: 100 ms a period. */
    private static ThreadSpec spec(int number) {
        return ThreadSpec.named("kt-jbench-" + number).withPeriod(Duration.ofMillis(100));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void rate(String name, double java, double c) {
        System.out.printf(Locale.ROOT, "%-34s %12.1f %12.1f %8.2f%n", name, java, c, java / c);
    }

    private static void time(String name, double java, double c) {
        System.out.printf(Locale.ROOT, "%-34s %12.3f %12.3f %8.2f%n", name, java, c, c / java);
    }
}
