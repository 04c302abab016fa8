package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.WakeResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "wake", mixinStandardHelpOptions = true,
        description = "Wake a created thread with wake_up_process(): its function starts running.")
final class WakeCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The id 'create' printed.")
    private long id;

    @Override
    public Integer call() throws KthreadctlException {
        WakeResult result;
        try (KthreadDevice device = KthreadDevice.open()) {
            result = device.wake(id);
        }
        spec.commandLine().getOut().printf("woke id %d%s%n", id,
                result.started() ? "" : " (it was already running: waking again is harmless)");
        return 0;
    }
}
