// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * /proc trees captured from real kernels (vm/capture-fixture.sh): the scan
 * must read all of them, classify every task as the kernel does, and see the
 * per-CPU layout each kernel really had.
 */
class ProcFixtureTest {
    static Stream<Path> fixtures() throws IOException, URISyntaxException {
        Path root = Paths.get(ProcFixtureTest.class.getResource("/proc-fixtures").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList().stream();
        }
    }

    @Test
    void fixturesCoverOldAndNewKernels() throws Exception {
        List<String> kernels = fixtures().map(dir -> dir.getFileName().toString()).toList();
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("6.1.")), "a 6.1 fixture: " + kernels);
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("6.12.")), "a 6.12 fixture: " + kernels);
        assertTrue(kernels.stream().anyMatch(k -> k.startsWith("6.18.")), "a 6.18 fixture: " + kernels);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyTaskParsesAndIsClassifiedAsTheKernelSays(Path fixture) {
        ProcScanner scanner = new ProcScanner(fixture);
        ProcScan scan = scanner.scan();
        assertEquals(List.of(), scan.problems());
        for (ProcStat stat : scan.tasks()) {
            ProcStatus status = scanner.status(stat.pid()).orElseThrow();
            // stat and status were read moments apart: the state may differ, the parent may not.
            assertEquals(stat.ppid(), status.ppid(), "ppid of " + stat.pid());
            // Where the kernel says outright what the task is, the flags agree.
            status.kthread().ifPresent(k -> assertEquals(k, stat.isKernelThread(), "Kthread: of " + stat.pid()));
            if (stat.isKernelThread()) {
                assertEquals(stat.name(), status.name(), "full name in stat and status");
                assertFalse(status.hasVm(), "a kernel thread has no mm: " + stat.name());
            } else {
                assertTrue(status.hasVm() || stat.state() == 'Z', "a user task has an mm: " + stat.name());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void kthreaddParentsEveryOtherKernelThread(Path fixture) {
        KernelThreads threads = KernelThreads.of(new ProcScanner(fixture).scan());
        KernelThread kthreadd = threads.kthreadd().orElseThrow();
        assertEquals(KthreadKind.KTHREADD, kthreadd.name().kind());
        assertEquals(List.of(kthreadd), threads.notUnderKthreadd());
        assertEquals(threads.all().size() - 1, threads.childrenOfKthreadd().size());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everyCpuHasItsKsoftirqdMigrationAndKworkers(Path fixture) throws IOException {
        int cpus = Integer.parseInt(Files.readString(fixture.resolve("nproc")).trim());
        Map<Integer, Map<KthreadKind, List<KernelThread>>> grid =
                KernelThreads.of(new ProcScanner(fixture).scan()).perCpu();
        assertEquals(cpus, grid.size(), "CPUs with per-CPU threads");
        for (int cpu = 0; cpu < cpus; cpu++) {
            Map<KthreadKind, List<KernelThread>> kinds = grid.get(cpu);
            assertEquals(1, kinds.get(KthreadKind.KSOFTIRQD).size(), "one ksoftirqd on cpu " + cpu);
            assertEquals(1, kinds.get(KthreadKind.MIGRATION).size(), "one migration on cpu " + cpu);
            assertEquals(1, kinds.get(KthreadKind.CPUHP).size(), "one cpuhp on cpu " + cpu);
            assertFalse(kinds.get(KthreadKind.KWORKER).isEmpty(), "kworkers on cpu " + cpu);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void namesOfLikeKindsAgreeWithTheirFlags(Path fixture) {
        KernelThreads threads = KernelThreads.of(new ProcScanner(fixture).scan());
        for (KernelThread thread : threads.all()) {
            boolean wqWorker = TaskFlag.PF_WQ_WORKER.isSetIn(thread.stat().flags());
            KthreadKind kind = thread.name().kind();
            boolean workqueueKind = kind == KthreadKind.KWORKER || kind == KthreadKind.KWORKER_UNBOUND
                    || kind == KthreadKind.KWORKER_RESCUER;
            assertEquals(wqWorker, workqueueKind, thread.stat().name());
            if (kind.perCpu()) {
                assertTrue(TaskFlag.PF_NO_SETAFFINITY.isSetIn(thread.stat().flags())
                        || kind == KthreadKind.KWORKER, "per-CPU threads are pinned: " + thread.stat().name());
            }
        }
        Map<KthreadKind, Long> counts = threads.all().stream()
                .collect(Collectors.groupingBy(t -> t.name().kind(), Collectors.counting()));
        assertTrue(counts.getOrDefault(KthreadKind.OTHER, 0L) > 0, "kswapd0 and friends: " + counts);
        assertEquals(Optional.of(1L), Optional.ofNullable(counts.get(KthreadKind.KTHREADD)));
    }
}
