// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KthreadName;
import dev.kthreadctl.proc.ProcScanner;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.ProcStatus;
import dev.kthreadctl.proc.TaskFlag;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Everything /proc says about one task, flags decoded, and why it is or is not a kernel thread.",
            "JSON (--json): the fields of 'list --json' plus reason, cpusAllowedList, voluntaryContextSwitches,"
                + " nonvoluntaryContextSwitches, kthreadLine and hasAddressSpace."})
final class ShowCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "PID", description = "The task's pid.")
    private int pid;

    @Option(names = "--json", description = "Print one JSON document.")
    private boolean json;

    /** show --json: a task with what status adds. */
    record ShowView(TaskView task, String reason, String cpusAllowedList, Long voluntaryContextSwitches,
            Long nonvoluntaryContextSwitches, Boolean kthreadLine, boolean hasAddressSpace) {
    }

    @Override
    public Integer call() {
        ProcScanner scanner = new ProcScanner();
        ProcStat stat = scanner.stat(pid).orElseThrow(() -> new IllegalArgumentException("no task has pid " + pid));
        ProcStatus status = scanner.status(pid)
                .orElseThrow(() -> new IllegalArgumentException("task " + pid + " exited while being read"));
        Optional<KernelThread> kthread = KernelThread.of(stat, Optional.of(status));
        String reason = reason(stat, status);
        ShowView view = new ShowView(TaskView.of(stat), reason, status.cpusAllowedList(),
                status.voluntaryContextSwitches().isPresent() ? status.voluntaryContextSwitches().getAsLong() : null,
                status.nonvoluntaryContextSwitches().isPresent()
                        ? status.nonvoluntaryContextSwitches().getAsLong() : null,
                status.kthread().orElse(null), status.hasVm());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Output.json(out, view);
            return 0;
        }
        out.printf("pid          %d%n", stat.pid());
        out.printf("name         %s%n", Output.printable(stat.name()));
        out.printf("kthread      %s: %s%n", kthread.isPresent() ? "yes" : "no", reason);
        kthread.map(KernelThread::name).ifPresent(name -> out.printf("kind         %s%s%n",
                TaskView.kindName(name), describe(name)));
        out.printf("parent       %d%s%n", stat.ppid(), stat.ppid() == 2 ? " (kthreadd)" : "");
        out.printf("state        %s (%s)%n", stat.state(), stat.taskState().meaning());
        out.printf("last cpu     %d, allowed %s%n", stat.processor(), status.cpusAllowedList());
        out.printf("policy       %d, rt priority %d, nice %d%n", stat.policy(), stat.rtPriority(), stat.nice());
        out.printf("cpu time     %d user + %d system ticks%n", stat.utimeTicks(), stat.stimeTicks());
        status.voluntaryContextSwitches().ifPresent(v -> out.printf("switches     %d voluntary, %d involuntary%n",
                v, status.nonvoluntaryContextSwitches().orElse(0)));
        out.printf("flags        0x%08x%n", stat.flags());
        for (TaskFlag flag : stat.taskFlags()) {
            out.printf("             %-20s %s%n", flag.name(), flag.meaning());
        }
        out.flush();
        return 0;
    }

    private static String describe(KthreadName name) {
        StringBuilder text = new StringBuilder();
        name.cpu().ifPresent(cpu -> text.append(", CPU ").append(cpu));
        name.pool().ifPresent(pool -> text.append(", unbound pool ").append(pool));
        if (name.highPriority()) {
            text.append(", high priority");
        }
        name.activity().ifPresent(a -> text.append(a == '+' ? ", now running " : ", last ran ").append(name.subject()));
        if (name.activity().isEmpty() && !name.subject().isEmpty()) {
            text.append(", ").append(name.subject());
        }
        return text.toString();
    }

    /* Says which evidence decided, in the order KernelThread trusts it. */
    private static String reason(ProcStat stat, ProcStatus status) {
        if (status.kthread().isPresent()) {
            return "the kernel says so in /proc/" + stat.pid() + "/status (Kthread: "
                    + (status.kthread().get() ? 1 : 0) + ")";
        }
        return stat.isKernelThread()
                ? "PF_KTHREAD is set in /proc/" + stat.pid() + "/stat (this kernel prints no Kthread: line)"
                : "PF_KTHREAD is clear in /proc/" + stat.pid() + "/stat"
                        + (status.hasVm() ? " and it has a user address space" : "");
    }
}
