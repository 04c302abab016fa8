// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import static dev.kthreadctl.guest.GuestKernel.awaitTrue;
import static dev.kthreadctl.guest.GuestKernel.pidExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.Lifecycle;
import dev.kthreadctl.device.ThreadInfo;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.device.WorkKind;
import dev.kthreadctl.guest.GuestKernel.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** "Stop your threads in module_exit or oops": the module does, whatever state they are in. */
@Tag("guest")
class ModuleUnloadGuestTest {
    private static final Duration PERIOD = Duration.ofMillis(20);

    @AfterEach
    void reload() throws Exception {
        GuestKernel.loadModule();
    }

    @Test
    void unloadingStopsThreadsInEveryStateAndLeavesALogWithoutComplaints() throws Exception {
        GuestKernel.loadModule();
        int mark = GuestKernel.kernelLog().size();
        List<CreatedThread> threads = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            CreatedThread neverWoken = device.create(spec("kt-unload-created"));
            CreatedThread sleeping = device.run(spec("kt-unload-sleep"));
            CreatedThread spinning = device.run(spec("kt-unload-spin").withWork(WorkKind.SPIN));
            CreatedThread queueing = device.run(spec("kt-unload-wq").withWork(WorkKind.WORKQUEUE));
            CreatedThread parked = device.run(spec("kt-unload-parked"));
            CreatedThread exited = device.run(spec("kt-unload-exited").counting(2));
            threads.addAll(List.of(neverWoken, sleeping, spinning, queueing, parked, exited));
            awaitTrue("the parkable thread runs", GuestKernel.allowing(Duration.ofSeconds(10)), () -> iterations(device, parked.id()) > 0);
            device.park(parked.id());
            awaitTrue("a work item ran", GuestKernel.allowing(Duration.ofSeconds(10)),
                    () -> info(device, queueing.id()).kworker().isPresent());
            awaitTrue("the count thread returned", GuestKernel.allowing(Duration.ofSeconds(10)),
                    () -> info(device, exited.id()).lifecycle() == Lifecycle.EXITED);
            assertEquals(Lifecycle.CREATED, info(device, neverWoken.id()).lifecycle());
            assertEquals(Lifecycle.PARKED, info(device, parked.id()).lifecycle());
        }

        CommandResult rmmod = GuestKernel.unloadModule();
        assertEquals(0, rmmod.exitCode(), "rmmod: " + rmmod.output());

        assertFalse(GuestKernel.moduleLoaded());
        // kthread_stop() returns before the task has left /proc: it leaves a moment later.
        for (CreatedThread thread : threads) {
            awaitTrue("pid " + thread.pid() + " gone", GuestKernel.allowing(Duration.ofSeconds(10)),
                    () -> !pidExists(thread.pid()));
        }
        List<String> log = GuestKernel.assertCleanLogSince(mark);
        assertTrue(log.stream().anyMatch(line -> line.contains("kthreadctl: unloaded, stopped 6 thread(s)")),
                "module_exit reports what it stopped:\n" + String.join("\n", log));
    }

    private static ThreadSpec spec(String name) {
        return ThreadSpec.named(name).withPeriod(PERIOD);
    }

    private static ThreadInfo info(KthreadDevice device, long id) {
        try {
            return device.info(id);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOpenDeviceKeepsTheModuleLoaded() throws Exception {
        GuestKernel.loadModule();
        try (KthreadDevice device = KthreadDevice.open()) {
            CommandResult rmmod = GuestKernel.unloadModule();
            assertNotEquals(0, rmmod.exitCode());
            assertTrue(rmmod.output().contains("in use"), rmmod.output());
            assertTrue(GuestKernel.moduleLoaded());
            device.version();
        }
    }

    private static long iterations(KthreadDevice device, long id) {
        return info(device, id).iterations();
    }
}
