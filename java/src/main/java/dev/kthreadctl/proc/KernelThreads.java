package dev.kthreadctl.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The kernel threads of one scan, and views of them. */
public final class KernelThreads {
    private static final int KTHREADD_PID = 2;

    private final List<KernelThread> threads;

    private KernelThreads(List<KernelThread> threads) {
        this.threads = List.copyOf(threads);
    }

    public static KernelThreads of(ProcScan scan) {
        List<KernelThread> threads = new ArrayList<>();
        for (ProcStat stat : scan.tasks()) {
            KernelThread.of(stat).ifPresent(threads::add);
        }
        return new KernelThreads(threads);
    }

    /** Every kernel thread, by pid. */
    public List<KernelThread> all() {
        return threads;
    }

    /** kthreadd (pid 2), if the scan saw it. */
    public Optional<KernelThread> kthreadd() {
        return threads.stream().filter(t -> t.stat().pid() == KTHREADD_PID).findFirst();
    }

    /** The threads kthreadd created: every kernel thread but kthreadd itself. */
    public List<KernelThread> childrenOfKthreadd() {
        return threads.stream().filter(t -> t.stat().ppid() == KTHREADD_PID).toList();
    }

    /** Kernel threads whose parent is not kthreadd (only kthreadd itself, normally). */
    public List<KernelThread> notUnderKthreadd() {
        return threads.stream().filter(t -> t.stat().ppid() != KTHREADD_PID).toList();
    }

    /** Per CPU, its per-CPU kernel threads by kind: the one-per-CPU layout of the kernel. */
    public SortedMap<Integer, Map<KthreadKind, List<KernelThread>>> perCpu() {
        SortedMap<Integer, Map<KthreadKind, List<KernelThread>>> grid = new TreeMap<>();
        for (KernelThread thread : threads) {
            KthreadName name = thread.name();
            if (name.kind().perCpu() && name.cpu().isPresent()) {
                grid.computeIfAbsent(name.cpu().getAsInt(), cpu -> new EnumMap<>(KthreadKind.class))
                        .computeIfAbsent(name.kind(), kind -> new ArrayList<>()).add(thread);
            }
        }
        grid.replaceAll((cpu, kinds) -> Collections.unmodifiableMap(kinds));
        return Collections.unmodifiableSortedMap(grid);
    }

    public List<KernelThread> ofKind(KthreadKind kind) {
        return threads.stream().filter(t -> t.name().kind() == kind).toList();
    }
}
