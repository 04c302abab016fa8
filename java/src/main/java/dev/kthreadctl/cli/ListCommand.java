package dev.kthreadctl.cli;

import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ScanProblem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List live kernel threads from /proc (no module needed).")
final class ListCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--name", paramLabel = "REGEX", description = "Only names matching REGEX (found anywhere in the name).")
    private Pattern name;

    @Option(names = "--all", description = "Include user tasks too, for contrast.")
    private boolean all;

    @Override
    public Integer call() {
        ProcScan scan = new ProcScanner().scan();
        List<ProcStat> shown = scan.tasks().stream()
                .filter(task -> all || task.isKernelThread())
                .filter(task -> name == null || name.matcher(task.name()).find())
                .collect(Collectors.toList());
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%7s %7s %-5s %-4s %s%n", "PID", "PPID", "STATE", "KIND", "NAME");
        for (ProcStat task : shown) {
            out.printf("%7d %7d %-5s %-4s %s%n", task.pid(), task.ppid(), task.state(),
                    task.isKernelThread() ? "kthr" : "user", Names.printable(task.name()));
        }
        PrintWriter err = spec.commandLine().getErr();
        for (ScanProblem problem : scan.problems()) {
            err.println("kthreadctl: skipped " + problem.path() + ": " + problem.message());
        }
        return 0;
    }
}
