package dev.kthreadctl.proc;

import java.util.List;
import java.util.stream.Collectors;

/** The tasks one pass over /proc found, and the files it could not parse. */
public record ProcScan(List<ProcStat> tasks, List<ScanProblem> problems) {
    public ProcScan {
        tasks = List.copyOf(tasks);
        problems = List.copyOf(problems);
    }

    public List<ProcStat> kernelThreads() {
        return tasks.stream().filter(ProcStat::isKernelThread).collect(Collectors.toList());
    }
}
