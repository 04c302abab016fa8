// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static dev.kthreadctl.guest.GuestKernel.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KworkerSighting;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.WorkKind;
import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KernelThreads;
import dev.kthreadctl.proc.KthreadKind;
import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStatus;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The /proc scan against kernel threads made to look like what they are not. */
class ProcDiscoveryGuestTest extends GuestTestBase {
    private final ProcScanner scanner = new ProcScanner();

    @AfterEach
    void closeScanner() {
        scanner.close();
    }

    private KernelThread find(KernelThreads threads, int pid) {
        return threads.all().stream().filter(t -> t.stat().pid() == pid).findFirst()
                .orElseThrow(() -> new AssertionError("pid " + pid + " not listed as a kernel thread"));
    }

    @Test
    void hostileNamesAreReadExactlyAndNeverTakenForRealKworkers() throws Exception {
        List<String> names = List.of("kworker/0:1", "ksoftirqd/1x", "a) b (c", "a ) ( b", "irq/1-s-x y");
        List<CreatedThread> created = new java.util.ArrayList<>();
        for (String name : names) {
            created.add(create(ThreadSpec.named(name)));
        }
        ProcScan scan = scanner.scan();
        assertEquals(List.of(), scan.problems());
        KernelThreads threads = KernelThreads.of(scan);
        for (int i = 0; i < names.size(); i++) {
            KernelThread thread = find(threads, created.get(i).pid());
            assertEquals(names.get(i), thread.stat().name());
            ProcStatus status = scanner.status(thread.stat().pid()).orElseThrow();
            assertEquals(names.get(i), status.name(), "status Name unescaped");
            status.kthread().ifPresent(kthread -> assertTrue(kthread, "Kthread: 1"));
        }
        assertEquals(KthreadKind.OTHER, find(threads, created.get(0).pid()).name().kind(),
                "no PF_WQ_WORKER: not a kworker, whatever its name");
        assertEquals(KthreadKind.OTHER, find(threads, created.get(1).pid()).name().kind());
        assertEquals(KthreadKind.IRQ, find(threads, created.get(4).pid()).name().kind(),
                "an IRQ-like name is only a name: irq threads have no flag to check");
    }

    @Test
    void theKworkerThatRanOurWorkIsListedAsAPerCpuKworker() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-proc-wq").withWork(WorkKind.WORKQUEUE)
                .withPeriod(Duration.ofMillis(10)).boundTo(1));
        device.wake(thread.id());
        awaitTrue("a kworker ran the item", Duration.ofSeconds(20), () -> {
            try {
                return device.info(thread.id()).kworker().isPresent();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        KworkerSighting kworker = device.info(thread.id()).kworker().orElseThrow();
        Optional<KernelThread> listed = KernelThreads.of(scanner.scan()).all().stream()
                .filter(t -> t.stat().pid() == kworker.pid()).findFirst();
        assertTrue(listed.isPresent(), "kworker " + kworker.pid() + " in the scan");
        assertEquals(KthreadKind.KWORKER, listed.get().name().kind());
        assertEquals(OptionalInt.of(1), listed.get().name().cpu());
    }

    @Test
    void aScanWithFewerFileDescriptorsThanTasksStillReadsThemAll() throws Exception {
        for (int i = 0; i < 300; i++) {
            run(ThreadSpec.named("kt-fd-" + i));
        }
        int tasks = scanner.scan().tasks().size();
        assertTrue(tasks > 300, tasks + " tasks");
        // Room for 256 more open files than this JVM has now: a new scanner keeps half the limit open at most.
        scanner.close();
        long limit = openFiles() + 256;
        assertTrue(limit / 2 < tasks, "the scanner could keep every file open: lower the limit");
        ProcScan last = OpenFileLimit.withSoftLimit(limit, () -> {
            assertTrue(Files.readAllLines(Paths.get("/proc/self/limits")).stream()
                    .anyMatch(line -> line.matches("Max open files +" + limit + " .*")), "soft limit lowered");
            try (ProcScanner limited = new ProcScanner()) {
                ProcScan scan = null;
                for (int i = 0; i < 3; i++) {
                    scan = limited.scan();
                }
                return scan;
            }
        });
        assertTrue(Math.abs(last.tasks().size() - tasks) < 20, "about " + tasks + " tasks: " + last.tasks().size());
        assertEquals(List.of(), last.problems(), "no problems");
    }

    private static long openFiles() throws java.io.IOException {
        try (var fds = Files.list(Paths.get("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void everyGuestCpuHasItsPerCpuThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(2, cpus, "the harness boots two CPUs");
        var grid = KernelThreads.of(scanner.scan()).perCpu();
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertEquals(1, grid.get(cpu).get(KthreadKind.KSOFTIRQD).size());
            assertEquals(1, grid.get(cpu).get(KthreadKind.MIGRATION).size());
            assertEquals(1, grid.get(cpu).get(KthreadKind.CPUHP).size());
            assertFalse(grid.get(cpu).get(KthreadKind.KWORKER).isEmpty());
        }
    }
}
