package dev.kthreadctl.cli;

import dev.kthreadctl.device.CreatedThread;
import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.ThreadSpec;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a kernel thread with kthread_create(): it exists but does not run until 'wake'.")
final class CreateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The thread's name, 1 to 63 bytes.")
    private String name;

    @Option(names = "--period-ms", paramLabel = "MS", defaultValue = "100",
            description = "Sleep between iterations, 1 to 60000 ms (default ${DEFAULT-VALUE}).")
    private long periodMs;

    @Option(names = "--exit-value", paramLabel = "N", defaultValue = "0",
            description = "What the thread function returns when stopped (default ${DEFAULT-VALUE}).")
    private int exitValue;

    @Override
    public Integer call() throws KthreadctlException {
        ThreadSpec threadSpec = ThreadSpec.named(name).withPeriod(Duration.ofMillis(periodMs))
                .withExitValue(exitValue);
        try (KthreadDevice device = KthreadDevice.open()) {
            CreatedThread created = device.create(threadSpec);
            spec.commandLine().getOut().printf("created id %d pid %d (not running until 'kthreadctl wake %d')%n",
                    created.id(), created.pid(), created.id());
        }
        return 0;
    }
}
