// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The kernel threads of one scan, and views of them.
 *
 * <p>Immutable and thread-safe: the list is copied at construction, and every
 * view is a new unmodifiable collection.
 */
public final class KernelThreads {
    private static final int KTHREADD_PID = 2;

    private final List<KernelThread> threads;

    private KernelThreads(List<KernelThread> threads) {
        this.threads = List.copyOf(threads);
    }

    /**
     * The kernel threads among a scan's tasks, told by the PF_KTHREAD flag of
     * each stat line (no status file is read).
     *
     * @param scan a scan of /proc
     * @return its kernel threads, in the scan's order
     */
    public static KernelThreads of(ProcScan scan) {
        List<KernelThread> threads = new ArrayList<>();
        for (ProcStat stat : scan.tasks()) {
            KernelThread.of(stat).ifPresent(threads::add);
        }
        return new KernelThreads(threads);
    }

    /**
     * Every kernel thread, in the scan's order ({@link ProcScanner#scan()}
     * sorts by pid).
     *
     * @return an unmodifiable list of all of them
     */
    public List<KernelThread> all() {
        return threads;
    }

    /**
     * kthreadd (pid 2), if the scan saw it.
     *
     * @return kthreadd, or empty if it is not in the scan
     */
    public Optional<KernelThread> kthreadd() {
        return threads.stream().filter(t -> t.stat().pid() == KTHREADD_PID).findFirst();
    }

    /**
     * The threads kthreadd created: the kernel threads whose parent pid is 2,
     * which is every kernel thread but kthreadd itself, normally.
     *
     * @return an unmodifiable list of them, in the scan's order
     */
    public List<KernelThread> childrenOfKthreadd() {
        return threads.stream().filter(t -> t.stat().ppid() == KTHREADD_PID).toList();
    }

    /**
     * Kernel threads whose parent is not kthreadd (only kthreadd itself, normally).
     *
     * @return an unmodifiable list of them, in the scan's order
     */
    public List<KernelThread> notUnderKthreadd() {
        return threads.stream().filter(t -> t.stat().ppid() != KTHREADD_PID).toList();
    }

    /**
     * Per CPU, its per-CPU kernel threads by kind: the one-per-CPU layout of
     * the kernel. Only threads of a {@link KthreadKind#perCpu()} kind whose
     * name holds a CPU number are counted.
     *
     * @return an unmodifiable map from CPU number (ascending) to an
     *         unmodifiable map from kind to the threads of that kind
     */
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

    /**
     * The kernel threads whose name says they are of one kind.
     *
     * @param kind the kind wanted
     * @return an unmodifiable list of them, in the scan's order
     */
    public List<KernelThread> ofKind(KthreadKind kind) {
        return threads.stream().filter(t -> t.name().kind() == kind).toList();
    }
}
