// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.TaskId;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "top", mixinStandardHelpOptions = true,
        description = {"Kernel threads by CPU time used since the last refresh.",
            "JSON (--json): one array per refresh, each entry {pid, name, kind, ticks, lastCpu, state}."})
final class TopCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2",
            description = "Time between refreshes (default ${DEFAULT-VALUE}).")
    private double interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N refreshes (default: never).")
    private Integer count;

    @Option(names = "--once", description = "One refresh, then exit (the same as --count 1).")
    private boolean once;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "Rows per refresh (default ${DEFAULT-VALUE}).")
    private int limit;

    @Option(names = "--json", description = "Print JSON, one array per refresh.")
    private boolean json;

    record TopEntry(int pid, String name, String kind, long ticks, int lastCpu, String state) {
    }

    @Override
    public Integer call() throws InterruptedException {
        if (interval <= 0 || interval > 3600) {
            throw new ParameterException(spec.commandLine(), "--interval must be more than 0 and at most 3600 seconds");
        }
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1");
        }
        try (ProcScanner scanner = new ProcScanner()) {
            refresh(scanner, once ? 1 : count == null ? Integer.MAX_VALUE : count);
        }
        return 0;
    }

    private void refresh(ProcScanner scanner, int refreshes) throws InterruptedException {
        Map<TaskId, Long> before = cpuTimes(scanner);
        PrintWriter out = spec.commandLine().getOut();
        boolean clear = System.console() != null && !json;
        for (int i = 0; i < refreshes; i++) {
            Thread.sleep((long) (interval * 1000));
            List<ProcStat> now = scanner.scan().tasks().stream().filter(ProcStat::isKernelThread).toList();
            List<TopEntry> entries = new ArrayList<>();
            Map<TaskId, Long> after = new HashMap<>();
            for (ProcStat task : now) {
                long ticks = task.utimeTicks() + task.stimeTicks();
                after.put(TaskId.of(task), ticks);
                // A pid reused since the last refresh is a new task: all its time is new.
                long used = ticks - before.getOrDefault(TaskId.of(task), 0L);
                entries.add(new TopEntry(task.pid(), task.name(),
                        KernelThread.of(task).map(t -> TaskView.kindName(t.name())).orElse("other"), used,
                        task.processor(), String.valueOf(task.state())));
            }
            before = after;
            entries.sort(Comparator.comparingLong((TopEntry e) -> -e.ticks()).thenComparingInt(TopEntry::pid));
            List<TopEntry> shown = entries.subList(0, Math.min(limit, entries.size()));
            if (json) {
                Output.json(out, shown);
                continue;
            }
            if (clear) {
                out.print("\033[H\033[2J");
            }
            out.printf("kernel threads by CPU ticks in the last %.1f s%n", interval);
            Output.Table table = new Output.Table("PID", "TICKS", "CPU", "S", "KIND", "NAME").right(0, 1, 2);
            shown.forEach(e -> table.row(e.pid(), e.ticks(), e.lastCpu(), e.state(), e.kind(), e.name()));
            table.print(out);
        }
    }

    private static Map<TaskId, Long> cpuTimes(ProcScanner scanner) {
        Map<TaskId, Long> times = new HashMap<>();
        for (ProcStat task : scanner.scan().tasks()) {
            times.put(TaskId.of(task), task.utimeTicks() + task.stimeTicks());
        }
        return times;
    }
}
