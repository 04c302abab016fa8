package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.ThreadInfo;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show what the module knows of one managed thread.")
final class InfoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "The id 'create' printed.")
    private long id;

    @Override
    public Integer call() throws KthreadctlException {
        ThreadInfo info;
        try (KthreadDevice device = KthreadDevice.open()) {
            info = device.info(id);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf("id          %d%n", info.id());
        out.printf("pid         %d%n", info.pid());
        out.printf("name        %s%n", Names.printable(info.name()));
        out.printf("lifecycle   %s%n", info.lifecycle().name().toLowerCase(Locale.ROOT));
        out.printf("work        %s%n", info.work().name().toLowerCase(Locale.ROOT));
        out.printf("cpu         %d%n", info.cpu());
        out.printf("iterations  %d%n", info.iterations());
        out.printf("period      %d ms%n", info.period().toMillis());
        out.printf("exit value  %d%n", info.exitValue());
        info.result().ifPresent(result -> out.printf("returned    %d%n", result));
        info.kworker().ifPresent(kworker -> out.printf("kworker     %s (pid %d, %d work items run)%n",
                kworker.comm(), kworker.pid(), kworker.workItemsRun()));
        return 0;
    }
}
