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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The /proc scan against kernel threads made to look like what they are not. */
class ProcDiscoveryGuestTest extends GuestTestBase {
    private final ProcScanner scanner = new ProcScanner();

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
        // The JVM raises its soft limit to the hard one: 256 leaves the scanner 128 files to keep open.
        List<String> command = new java.util.ArrayList<>(List.of("prlimit", "--nofile=256:256"));
        command.addAll(GuestKernel.javaCommand(System.getProperty("java.class.path"), ScanProbe.class,
                "-Djna.tmpdir=/tmp/jna"));
        GuestKernel.CommandResult probe = GuestKernel.CommandResult.run(command);
        assertEquals(0, probe.exitCode(), probe.output());
        String[] counts = probe.output().trim().split(" ");
        assertTrue(Math.abs(Integer.parseInt(counts[0]) - tasks) < 20, "about " + tasks + " tasks: " + probe.output());
        assertEquals("0", counts[1], "no problems");
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
