// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.NoSuchThreadException;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KernelThreads;
import dev.kthreadctl.proc.KthreadKind;
import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ScanProblem;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List live kernel threads from /proc. Needs no module and no root.",
            "JSON (--json): an array of tasks with pid, ppid, name, state, stateMeaning, kernelThread, kind,"
                + " kindCpu, lastCpu, flags, utimeTicks, stimeTicks, nice, policy, rtPriority, startTimeTicks;"
                + " with --per-cpu an object from CPU to kind to names; with --tree {kthreadd, children}."})
final class ListCommand implements Callable<Integer> {
    enum SortKey { pid, ppid, name, state, cpu, time }

    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "REGEX", description = "Only names matching REGEX (anywhere in the name).")
    private Pattern name;

    @Option(names = "--kind", paramLabel = "KIND", converter = KindFilter.Converter.class,
            description = "Only this kind: " + KindFilter.CANDIDATES + ".")
    private KindFilter kind;

    @Option(names = "--cpu", paramLabel = "N", description = "Only tasks that last ran on CPU N.")
    private Integer cpu;

    @Option(names = "--state", paramLabel = "LETTERS", description = "Only these states, e.g. D or SI.")
    private String state;

    @Option(names = "--managed", description = "Only the threads the kthreadctl module manages (needs root).")
    private boolean managed;

    @Option(names = "--all", description = "Include user tasks too, for contrast.")
    private boolean all;

    @Option(names = "--tree", description = "Show the kthreadd tree.")
    private boolean tree;

    @Option(names = "--per-cpu", description = "Show a grid of CPUs and their per-CPU kernel threads.")
    private boolean perCpu;

    @Option(names = "--sort", paramLabel = "COLUMN", defaultValue = "pid",
            description = "Sort by ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    private SortKey sort;

    @Option(names = "--json", description = "Print one JSON document.")
    private boolean json;

    @Override
    public Integer call() throws KthreadctlException {
        ProcScan scan;
        try (ProcScanner scanner = new ProcScanner()) {
            scan = scanner.scan();
        }
        PrintWriter out = spec.commandLine().getOut();
        List<ProcStat> tasks = scan.tasks().stream().filter(filter()).sorted(order()).toList();
        if (perCpu) {
            printPerCpu(out, tasks);
        } else if (tree) {
            printTree(out, tasks);
        } else if (json) {
            Output.json(out, tasks.stream().map(TaskView::of).toList());
        } else {
            Output.Table table = new Output.Table("PID", "PPID", "S", "CPU", "KIND", "NAME").right(0, 1, 3);
            for (ProcStat task : tasks) {
                table.row(task.pid(), task.ppid(), task.state(), task.processor(), kindOf(task), task.name());
            }
            table.print(out);
        }
        for (ScanProblem problem : scan.problems()) {
            spec.commandLine().getErr().println("kthreadctl: skipped " + problem.path() + ": " + problem.message());
        }
        return 0;
    }

    private Predicate<ProcStat> filter() throws KthreadctlException {
        Predicate<ProcStat> keep = task -> all || task.isKernelThread();
        if (name != null) {
            keep = keep.and(task -> name.matcher(task.name()).find());
        }
        if (kind != null) {
            Set<KthreadKind> kinds = kind.kinds();
            keep = keep.and(task -> KernelThread.of(task).map(t -> kinds.contains(t.name().kind())).orElse(false));
        }
        if (cpu != null) {
            keep = keep.and(task -> task.processor() == cpu);
        }
        if (state != null) {
            keep = keep.and(task -> state.indexOf(task.state()) >= 0);
        }
        if (managed) {
            Set<Integer> pids = managedPids();
            keep = keep.and(task -> pids.contains(task.pid()));
        }
        return keep;
    }

    private static Set<Integer> managedPids() throws KthreadctlException {
        Set<Integer> pids = new HashSet<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            for (long id : device.list()) {
                try {
                    pids.add(device.info(id).pid());
                } catch (NoSuchThreadException stoppedMeanwhile) {
                    // another caller stopped it between the list and the look
                }
            }
        }
        return pids;
    }

    private Comparator<ProcStat> order() {
        return switch (sort) {
            case pid -> Comparator.comparingInt(ProcStat::pid);
            case ppid -> Comparator.comparingInt(ProcStat::ppid).thenComparingInt(ProcStat::pid);
            case name -> Comparator.comparing(ProcStat::name).thenComparingInt(ProcStat::pid);
            case state -> Comparator.comparing((ProcStat t) -> t.state()).thenComparingInt(ProcStat::pid);
            case cpu -> Comparator.comparingInt(ProcStat::processor).thenComparingInt(ProcStat::pid);
            case time -> Comparator.comparingLong((ProcStat t) -> -(t.utimeTicks() + t.stimeTicks()))
                    .thenComparingInt(ProcStat::pid);
        };
    }

    private static String kindOf(ProcStat task) {
        return KernelThread.of(task).map(t -> TaskView.kindName(t.name())).orElse("user");
    }

    private void printPerCpu(PrintWriter out, List<ProcStat> tasks) {
        KernelThreads threads = KernelThreads.of(new ProcScan(tasks, List.of()));
        Map<Integer, Map<KthreadKind, List<KernelThread>>> grid = threads.perCpu();
        if (json) {
            Map<Integer, Map<String, List<String>>> doc = new TreeMap<>();
            grid.forEach((c, kinds) -> {
                Map<String, List<String>> byKind = new LinkedHashMap<>();
                kinds.forEach((k, list) -> byKind.put(k.name().toLowerCase(Locale.ROOT),
                        list.stream().map(t -> t.stat().name()).toList()));
                doc.put(c, byKind);
            });
            Output.json(out, doc);
            return;
        }
        List<KthreadKind> columns = new ArrayList<>();
        for (KthreadKind k : KthreadKind.values()) {
            if (grid.values().stream().anyMatch(kinds -> kinds.containsKey(k))) {
                columns.add(k);
            }
        }
        List<String> headers = new ArrayList<>(List.of("CPU"));
        columns.forEach(k -> headers.add(k.name().toLowerCase(Locale.ROOT)));
        Output.Table table = new Output.Table(headers.toArray(String[]::new));
        grid.forEach((c, kinds) -> {
            List<Object> row = new ArrayList<>(List.of(c));
            for (KthreadKind k : columns) {
                List<KernelThread> list = kinds.getOrDefault(k, List.of());
                row.add(list.isEmpty() ? "-" : list.size() == 1 ? list.get(0).stat().pid() : list.size() + " threads");
            }
            table.row(row.toArray());
        });
        table.print(out);
    }

    private void printTree(PrintWriter out, List<ProcStat> tasks) {
        KernelThreads threads = KernelThreads.of(new ProcScan(tasks, List.of()));
        List<KernelThread> children = threads.childrenOfKthreadd();
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("kthreadd", threads.kthreadd().map(t -> TaskView.of(t.stat())).orElse(null));
            doc.put("children", children.stream().map(t -> TaskView.of(t.stat())).toList());
            Output.json(out, doc);
            return;
        }
        threads.kthreadd().ifPresent(k -> out.printf("%d %s%n", k.stat().pid(), k.stat().name()));
        for (int i = 0; i < children.size(); i++) {
            ProcStat child = children.get(i).stat();
            out.printf("%s %d %s%n", i == children.size() - 1 ? "`--" : "|--", child.pid(),
                    Output.printable(child.name()));
        }
        out.flush();
    }
}
