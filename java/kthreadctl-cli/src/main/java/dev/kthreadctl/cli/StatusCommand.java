// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.device.KthreadDevice;
import dev.kthreadctl.device.KthreadctlException;
import dev.kthreadctl.device.NoSuchThreadException;
import dev.kthreadctl.device.ThreadInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"The threads the module manages, or one of them, as the module sees them.",
            "JSON (--json): an array of {id, pid, name, lifecycle, work, cpu, boundCpu, iterations, periodMs,"
                + " exitValue, result, sawNoMm, sawPfKthread, kworkerPid, kworkerComm}."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "Only this thread.")
    private Long id;

    @Option(names = "--json", description = "Print one JSON document.")
    private boolean json;

    record ManagedView(long id, int pid, String name, String lifecycle, String work, int cpu, Integer boundCpu,
            long iterations, long periodMs, int exitValue, Integer result, boolean sawNoMm, boolean sawPfKthread,
            Integer kworkerPid, String kworkerComm) {
        static ManagedView of(ThreadInfo info) {
            return new ManagedView(info.id(), info.pid(), info.name(), lower(info.lifecycle()), lower(info.work()),
                    info.cpu(), info.boundCpu().isPresent() ? info.boundCpu().getAsInt() : null, info.iterations(),
                    info.period().toMillis(), info.exitValue(),
                    info.result().isPresent() ? info.result().getAsInt() : null, info.sawNoMm(), info.sawPfKthread(),
                    info.kworker().map(k -> k.pid()).orElse(null), info.kworker().map(k -> k.comm()).orElse(null));
        }

        private static String lower(Enum<?> value) {
            return value.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Integer call() throws KthreadctlException {
        List<ManagedView> views = new ArrayList<>();
        try (KthreadDevice device = KthreadDevice.open()) {
            for (long each : id != null ? List.of(id) : device.list()) {
                try {
                    views.add(ManagedView.of(device.info(each)));
                } catch (NoSuchThreadException stoppedMeanwhile) {
                    if (id != null) {
                        throw stoppedMeanwhile;
                    }
                }
            }
        }
        if (json) {
            Output.json(spec.commandLine().getOut(), views);
            return 0;
        }
        Output.Table table = new Output.Table("ID", "PID", "LIFECYCLE", "WORK", "CPU", "ITERATIONS", "KWORKER", "NAME")
                .right(0, 1, 4, 5);
        for (ManagedView v : views) {
            table.row(v.id(), v.pid(), v.lifecycle() + (v.result() == null ? "" : " (" + v.result() + ")"), v.work(),
                    v.boundCpu() == null ? String.valueOf(v.cpu()) : v.cpu() + " (bound)", v.iterations(),
                    v.kworkerComm(), v.name());
        }
        table.print(spec.commandLine().getOut());
        return 0;
    }
}
