// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static dev.kthreadctl.guest.GuestKernel.awaitTrue;
import static dev.kthreadctl.guest.GuestKernel.pidExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.ModuleVersion;
import dev.kthreadctl.device.NoSuchThreadException;
import dev.kthreadctl.device.ThreadInfo;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.Lifecycle;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The seed's kthread API, observed on the live kernel through the module and /proc. */
class KthreadLifecycleGuestTest extends GuestTestBase {
    private static final Duration PERIOD = Duration.ofMillis(10);
    private static final Duration WAIT = GuestKernel.allowing(Duration.ofSeconds(10));
    private static final int KTHREADD_PID = 2;
    private static final int EINTR = 4;

    private final ProcScanner proc = new ProcScanner();

    private ProcStat stat(int pid) {
        return proc.stat(pid).orElseThrow(() -> new AssertionError("pid " + pid + " is not in /proc"));
    }

    /**
     * kthreadctl has one version, the top-level pom.xml's: the module's
     * GET_VERSION and modinfo, and the command line, all say it.
     */
    @Test
    void moduleModinfoAndCommandLineSayThePomsVersion() throws Exception {
        String[] parts = GuestKernel.projectVersion().split("\\.");
        assertEquals(new ModuleVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]), KthreadDevice.ABI_VERSION), device.version());
        GuestKernel.CommandResult modinfo = GuestKernel.CommandResult.run(
                java.util.List.of("modinfo", "-F", "version", GuestKernel.modulePath().toString()));
        assertEquals(GuestKernel.projectVersion(), modinfo.output().trim());
        assertEquals("kthreadctl " + GuestKernel.projectVersion() + " (module ABI " + KthreadDevice.ABI_VERSION + ")",
                dev.kthreadctl.cli.CliRun.of("--version").out().trim());
    }

    @Test
    void kthreadCreateMakesAKernelThreadThatDoesNotRun() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-created").withPeriod(PERIOD).withExitValue(42));

        ProcStat stat = stat(thread.pid());
        assertEquals("kt-created", stat.name());
        assertTrue(stat.isKernelThread(), "PF_KTHREAD set in /proc/PID/stat flags " + Long.toHexString(stat.flags()));
        assertEquals(KTHREADD_PID, stat.ppid(), "parent is kthreadd, not the creating process");
        assertEquals('D', stat.state(), "a created, never-woken kthread waits uninterruptibly");

        Thread.sleep(50 * PERIOD.toMillis());
        ThreadInfo info = device.info(thread.id());
        assertEquals(0, info.iterations(), "its function has not run");
        assertEquals(Lifecycle.CREATED, info.lifecycle());
        assertEquals('D', stat(thread.pid()).state());
        assertEquals(0, Files.readAllBytes(Paths.get("/proc", Integer.toString(thread.pid()), "cmdline")).length,
                "a kernel thread has no command line");
    }

    @Test
    void wakeUpProcessMakesItRunAndSleepBetweenIterations() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-woken").withPeriod(PERIOD).withExitValue(0));
        device.wake(thread.id());

        awaitTrue("iterations reach 5", WAIT, () -> iterations(thread) >= 5);
        long before = iterations(thread);
        awaitTrue("iterations keep growing", WAIT, () -> iterations(thread) > before);
        assertEquals(Lifecycle.RUNNING, device.info(thread.id()).lifecycle());
        // It spends nearly all its time in schedule_timeout(): interruptible sleep.
        awaitTrue("state S in /proc", WAIT, () -> stat(thread.pid()).state() == 'S');
    }

    @Test
    void kthreadStopReturnsTheThreadFunctionsValueAndTheTaskGoes() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-stopped").withPeriod(PERIOD).withExitValue(42));
        device.wake(thread.id());
        awaitTrue("the function runs", WAIT, () -> iterations(thread) > 0);

        assertEquals(42, device.stop(thread.id()));
        awaitTrue("pid " + thread.pid() + " leaves /proc", WAIT, () -> !pidExists(thread.pid()));
        assertThrows(NoSuchThreadException.class, () -> device.info(thread.id()));
        assertThrows(NoSuchThreadException.class, () -> device.stop(thread.id()));
    }

    @Test
    void stoppingANeverWokenThreadReturnsEintrWithoutRunningIt() throws Exception {
        CreatedThread thread = create(ThreadSpec.named("kt-never-woken").withPeriod(PERIOD).withExitValue(42));
        assertEquals(-EINTR, device.stop(thread.id()));
        awaitTrue("pid " + thread.pid() + " leaves /proc", WAIT, () -> !pidExists(thread.pid()));
    }

    @Test
    void namesAreDataNotFormatsAndKeepSpacesAndParentheses() throws Exception {
        String name = "odd) %s %n (name";
        CreatedThread thread = create(ThreadSpec.named(name).withPeriod(PERIOD).withExitValue(0));
        assertEquals(name, stat(thread.pid()).name());
        assertEquals(name, device.info(thread.id()).name());
        assertEquals(name + "\n", Files.readString(Paths.get("/proc", Integer.toString(thread.pid()), "comm"),
                StandardCharsets.UTF_8));
    }

    @Test
    void longNamesShowInFullInProcUpToTheLimit() throws Exception {
        String name = "kt-" + "n".repeat(ThreadSpec.NAME_MAX_BYTES - 3);
        CreatedThread thread = create(ThreadSpec.named(name).withPeriod(PERIOD).withExitValue(0));
        assertEquals(name, stat(thread.pid()).name(), "/proc shows the full name, not the 15 bytes of task->comm");
    }

    @Test
    void unknownIdsAreReportedAsSuch() {
        NoSuchThreadException e = assertThrows(NoSuchThreadException.class, () -> device.wake(999_999));
        assertEquals("ENOENT", e.errnoName());
        assertEquals(999_999, e.id());
    }

    private long iterations(CreatedThread thread) {
        try {
            return device.info(thread.id()).iterations();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
