// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.internal.InfoArgs;
import dev.kthreadctl.device.internal.IoctlRequest;
import dev.kthreadctl.device.internal.Libc;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Runs in the guest as root with the module loaded (vm/bench.sh): the
 * control path from Java, warm, against the small C client making the same
 * ioctls (bench/src/main/c/control-client.c), in one run. Prints each figure
 * and Java's share of the C client's speed (target: at least 0.9).
 *
 * <p>Usage: GuestControlComparison CYCLES BULK ROUNDTRIPS CONTROL_CLIENT_BINARY [ROUNDS (3)]
 */
public final class GuestControlComparison {
    /** One run's figures, as the C client prints them. */
    record Figures(double cyclesPerSecond, double bulkRunSeconds, double bulkStopSeconds, double infoPerSecond,
            double listPerSecond, double bareInfoPerSecond) {
        static Figures parse(String line) {
            String[] f = line.trim().split(" ");
            return new Figures(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    // The C client's INFO is already the bare call.
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[3]));
        }
    }

    private GuestControlComparison() {
    }

    public static void main(String[] args) throws Exception {
        int cycles = Integer.parseInt(args[0]);
        int bulk = Integer.parseInt(args[1]);
        int roundtrips = Integer.parseInt(args[2]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        // Java and C take turns, round by round: under an emulator either side's rate drifts by a
        // factor of two within a minute, and a ratio of two runs far apart measures the drift.
        List<Figures> java = new ArrayList<>();
        List<Figures> c = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            // Warm: the same work untimed, until the JIT is done with it (slow to finish under an emulator).
            measure(device, cycles, bulk, roundtrips);
            JitWarmUp.Result warmUp = JitWarmUp.untilQuiet(() -> measure(device, cycles, bulk, roundtrips), 1, 10);
            System.out.printf(Locale.ROOT, "Java warm-up after one untimed run: %s%n", warmUp);
            for (int round = 0; round < rounds; round++) {
                java.add(measure(device, cycles, bulk, roundtrips));
                c.add(Figures.parse(Programs.run(args[3], args[0], args[1], args[2])));
            }
        }

        System.out.printf(Locale.ROOT, "control path: %d create-wake-stop cycles, %d threads in bulk, %d round trips;"
                + " medians of %d rounds, Java and C in turns%n", cycles, bulk, roundtrips, rounds);
        System.out.printf(Locale.ROOT, "%-40s %12s %12s %8s%n", "", "Java (warm)", "C client", "Java/C");
        row("create -> wake -> stop, per s", java, c, Figures::cyclesPerSecond, false);
        row("run " + bulk + " threads, s", java, c, Figures::bulkRunSeconds, true);
        row("stop them all, s", java, c, Figures::bulkStopSeconds, true);
        row("INFO round trips, per s", java, c, Figures::infoPerSecond, false);
        row("LIST round trips (10 threads), per s", java, c, Figures::listPerSecond, false);
        row("INFO, bare JNA call (the floor), per s", java, c, Figures::bareInfoPerSecond, false);
        System.out.println("Java/C is Java's speed as a share of C's (the median of the rounds' ratios): target >= 0.9");
    }

    /*
     * One figure: the medians of each side, and the median of the rounds'
     * ratios (Java's speed as a share of C's; for times, C's time over Java's).
     */
    private static void row(String name, List<Figures> java, List<Figures> c, ToDoubleFunction<Figures> figure,
            boolean isTime) {
        double[] ratios = new double[java.size()];
        for (int i = 0; i < ratios.length; i++) {
            double j = figure.applyAsDouble(java.get(i));
            double k = figure.applyAsDouble(c.get(i));
            ratios[i] = isTime ? k / j : j / k;
        }
        System.out.printf(Locale.ROOT, isTime ? "%-40s %12.3f %12.3f %8.2f%n" : "%-40s %12.1f %12.1f %8.2f%n", name,
                Medians.of(java.stream().mapToDouble(figure).toArray()),
                Medians.of(c.stream().mapToDouble(figure).toArray()), Medians.of(ratios));
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
        double bareInfoPerSecond = bareInfo(ids.get(0), roundtrips);
        for (long id : ids) {
            device.stop(id);
        }
        return new Figures(cyclesPerSecond, bulkRun, bulkStop, infoPerSecond, listPerSecond, bareInfoPerSecond);
    }

    /*
     * The floor of any JNA client: INFO as the C client sends it (the struct
     * cleared, the id put in, one ioctl), through the library's own native
     * binding on a descriptor of its own, with nothing made of the answer.
     * What the library spends above this is its own; what this spends above
     * C is JNA's call.
     */
    private static double bareInfo(long id, int roundtrips) {
        byte[] zeros = new byte[InfoArgs.SIZE];
        ByteBuffer buffer = ByteBuffer.allocateDirect(InfoArgs.SIZE).order(ByteOrder.nativeOrder());
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        int fd = Libc.open(KthreadDevice.DEFAULT_PATH, Libc.O_RDWR | Libc.O_CLOEXEC);
        try {
            double rate = 0;
            for (int round = 0; round < 2; round++) { // the first for the JIT, the second timed
                long start = System.nanoTime();
                for (int i = 0; i < roundtrips; i++) {
                    buffer.put(0, zeros);
                    buffer.putInt(InfoArgs.OFFSET_ID, (int) id);
                    Libc.ioctl(fd, IoctlRequest.INFO, address);
                }
                rate = roundtrips / seconds(start);
            }
            return rate;
        } finally {
            Libc.close(fd);
            Reference.reachabilityFence(buffer);
        }
    }

    /* A sleep-kind thread, as the C client makes them: 100 ms a period. */
    private static ThreadSpec spec(int number) {
        return ThreadSpec.named("kt-jbench-" + number).withPeriod(Duration.ofMillis(100));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
