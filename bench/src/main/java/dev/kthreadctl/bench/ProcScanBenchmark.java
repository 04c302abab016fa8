// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.bench;

import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ProcStatParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One /proc scan, on a captured fixture (repeatable) and on the live /proc.
 * Run with the GC profiler (make bench-host) to see bytes allocated per scan;
 * divided by the tasks scanned, that is the per-task figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProcScanBenchmark {
    /** A /proc tree: "/proc", or a fixture directory. */
    @Param("/proc")
    public String procRoot;

    private ProcScanner scanner;
    private List<byte[]> lines;

    @Setup
    public void setUp() {
        scanner = new ProcScanner(Paths.get(procRoot));
        int tasks = scanner.scan().tasks().size();
        lines = new ArrayList<>();
        for (ProcStat task : scanner.scan().tasks()) {
            try {
                lines.add(Files.readAllBytes(Paths.get(procRoot, Integer.toString(task.pid()), "stat")));
            } catch (IOException gone) {
                // exited since the scan
            }
        }
        System.out.println("# " + procRoot + ": " + tasks + " tasks per scan");
    }

    @Benchmark
    public ProcScan scan() {
        return scanner.scan();
    }

    /*
     * A warm scan parses only the lines that changed since the last one, and
     * a fixture's never change: this keeps the parser itself timed.
     */
    @Benchmark
    public long parseEveryLine() {
        long pids = 0;
        for (byte[] line : lines) {
            pids += ProcStatParser.parse(line).pid();
        }
        return pids;
    }
}
