// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.NoSuchThreadException;
import dev.kthreadctl.device.ThreadSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * Runs in the QEMU guest as root with the module loaded: opens the device,
 * stops whatever a test left running, and fails a test that made the kernel
 * log an oops or warning.
 */
@Tag("guest")
public abstract class GuestTestBase {
    protected KthreadDevice device;
    private final List<Long> created = new ArrayList<>();
    private int logMark;

    @BeforeEach
    void openDevice() throws Exception {
        GuestKernel.loadModule();
        logMark = GuestKernel.kernelLog().size();
        device = KthreadDevice.open();
    }

    @AfterEach
    void stopLeftoversAndCheckLog() throws Exception {
        if (device != null) {
            for (long id : created) {
                try {
                    device.stop(id);
                } catch (NoSuchThreadException alreadyStopped) {
                    // the test stopped it itself
                }
            }
            device.close();
        }
        GuestKernel.assertCleanLogSince(logMark);
    }

    /** Creates a thread that is stopped after the test if the test does not stop it. */
    protected CreatedThread create(ThreadSpec spec) throws Exception {
        CreatedThread thread = device.create(spec);
        created.add(thread.id());
        return thread;
    }

    /** Creates and wakes a thread (kthread_run), stopped after the test like {@link #create}. */
    protected CreatedThread run(ThreadSpec spec) throws Exception {
        CreatedThread thread = device.run(spec);
        created.add(thread.id());
        return thread;
    }

    protected int kernelLogMark() {
        return logMark;
    }
}
