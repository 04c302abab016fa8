package dev.kthreadctl.guest;

import static dev.kthreadctl.guest.GuestKernel.awaitTrue;
import static dev.kthreadctl.guest.GuestKernel.pidExists;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.ThreadSpec;
import dev.kthreadctl.guest.GuestKernel.CommandResult;
import java.time.Duration;
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
    void unloadingStopsWokenAndNeverWokenThreadsAndLeavesALogWithoutComplaints() throws Exception {
        GuestKernel.loadModule();
        int mark = GuestKernel.kernelLog().size();
        CreatedThread woken;
        CreatedThread neverWoken;
        try (KthreadDevice device = KthreadDevice.open()) {
            woken = device.create(new ThreadSpec("kt-unload-woken", PERIOD, 1));
            neverWoken = device.create(new ThreadSpec("kt-unload-idle", PERIOD, 2));
            device.wake(woken.id());
            awaitTrue("the woken thread runs", Duration.ofSeconds(10), () -> iterations(device, woken.id()) > 0);
        }

        CommandResult rmmod = GuestKernel.unloadModule();
        assertEquals(0, rmmod.exitCode(), "rmmod: " + rmmod.output());

        assertFalse(GuestKernel.moduleLoaded());
        assertFalse(pidExists(woken.pid()), "woken thread gone");
        assertFalse(pidExists(neverWoken.pid()), "never-woken thread gone");
        List<String> log = GuestKernel.assertCleanLogSince(mark);
        assertTrue(log.stream().anyMatch(line -> line.contains("kthreadctl: unloaded, stopped 2 thread(s)")),
                "module_exit reports what it stopped:\n" + String.join("\n", log));
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
        try {
            return device.info(id).iterations();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
