// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStatParser;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs in the guest as root with the module loaded (vm/bench.sh, part
 * "breakdown"): where a warm Java scan's time goes, piece by piece, against
 * the same pieces in C (bench/src/main/c/scan-pieces.c). With extra kernel
 * threads, three turns of: each Java piece's median over ROUNDS, then the C
 * pieces'; then the user and system time of the scanning thread per warm
 * scan, against C's per kept scan.
 *
 * <p>Usage: GuestScanBreakdown THREADS ROUNDS SCAN_PIECES_BINARY
 */
public final class GuestScanBreakdown {
    private static final int TURNS = 3;

    private GuestScanBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String pieces = args[2];
        List<Long> ids = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            ids.addAll(Timing.sleepingThreads(device, "kt-pieces-", threads));
            List<FileChannel> channels = new ArrayList<>();
            List<byte[]> lines = new ArrayList<>();
            for (String name : new File("/proc").list()) {
                if (name.charAt(0) >= '0' && name.charAt(0) <= '9') {
                    Path stat = Paths.get("/proc", name, "stat");
                    try {
                        lines.add(Files.readAllBytes(stat));
                        channels.add(FileChannel.open(stat));
                    } catch (java.io.IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            ByteBuffer buffer = ByteBuffer.allocate(4096);
            ProcScanner scanner = new ProcScanner(Paths.get("/proc"), Integer.MAX_VALUE);
            Map<String, Callable<?>> javaPieces = new LinkedHashMap<>();
            javaPieces.put("File.list() of /proc", () -> new File("/proc").list().length);
            javaPieces.put("Files.newDirectoryStream(/proc)", () -> {
                int entries = 0;
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(Paths.get("/proc"))) {
                    for (Path ignored : stream) {
                        entries++;
                    }
                }
                return entries;
            });
            javaPieces.put("FileChannel.read at 0, kept", () -> {
                long bytes = 0;
                for (FileChannel channel : channels) {
                    buffer.clear();
                    bytes += channel.read(buffer, 0);
                }
                return bytes;
            });
            javaPieces.put("ProcStatParser.parse, every line", () -> {
                long pids = 0;
                for (byte[] line : lines) {
                    pids += ProcStatParser.parse(line).pid();
                }
                return pids;
            });
            javaPieces.put("ProcScanner.scan(), warm", scanner::scan);
            for (Callable<?> piece : javaPieces.values()) {
                JitWarmUp.untilQuiet(piece, 5, 10 * rounds);
            }

            Map<String, double[]> ms = new LinkedHashMap<>();
            javaPieces.keySet().forEach(name -> ms.put(name, new double[TURNS]));
            ms.put("C readdir of /proc", new double[TURNS]);
            ms.put("C pread at 0, kept", new double[TURNS]);
            for (int turn = 0; turn < TURNS; turn++) {
                for (Map.Entry<String, Callable<?>> piece : javaPieces.entrySet()) {
                    ms.get(piece.getKey())[turn] = Timing.median(rounds, 0, piece.getValue());
                }
                String[] c = Programs.run(pieces, Integer.toString(rounds)).trim().split(" ");
                ms.get("C readdir of /proc")[turn] = Double.parseDouble(c[0]);
                ms.get("C pread at 0, kept")[turn] = Double.parseDouble(c[1]);
            }
            System.out.printf(Locale.ROOT, "scan pieces, %d tasks, median ms of %d, %d turns%n", channels.size(), rounds,
                    TURNS);
            ms.forEach((name, turns) -> System.out.printf(Locale.ROOT, "%-36s %s%n", name, text(turns)));

            ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
            long user = cpu.getCurrentThreadUserTime();
            long total = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < rounds; i++) {
                scanner.scan();
            }
            double userMs = (cpu.getCurrentThreadUserTime() - user) / 1e6 / rounds;
            double sysMs = (cpu.getCurrentThreadCpuTime() - total) / 1e6 / rounds - userMs;
            String[] c = Programs.run(pieces, Integer.toString(rounds)).trim().split(" ");
            System.out.printf(Locale.ROOT, "per warm scan, ms: Java thread user %.1f system %.1f; C kept scan user %s"
                    + " system %s%n", userMs, sysMs, c[2], c[3]);
            scanner.close();
            for (FileChannel channel : channels) {
                channel.close();
            }
            for (long id : ids) {
                device.stop(id);
            }
        }
    }

    private static String text(double[] turns) {
        StringBuilder text = new StringBuilder();
        for (double turn : turns) {
            text.append(String.format(Locale.ROOT, " %8.1f", turn));
        }
        return text.toString();
    }
}
