package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a thread with kthread_stop(): waits for its function to return and prints the value.")
final class StopCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The id 'create' printed.")
    private long id;

    @Override
    public Integer call() throws KthreadctlException {
        int result;
        try (KthreadDevice device = KthreadDevice.open()) {
            result = device.stop(id);
        }
        String note = result == -4 ? " (-EINTR: never woken, so its function never ran)" : "";
        spec.commandLine().getOut().printf("stopped id %d: kthread_stop returned %d%s%n", id, result, note);
        return 0;
    }
}
