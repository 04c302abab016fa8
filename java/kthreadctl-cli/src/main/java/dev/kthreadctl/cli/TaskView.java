// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KthreadName;
import dev.kthreadctl.proc.ProcStat;
import dev.kthreadctl.proc.TaskFlag;
import java.util.List;
import java.util.Locale;

/**
 * One task as {@code list --json} and {@code show --json} print it. Field
 * names are part of the command line's interface: add, never rename.
 *
 * @param kind for kernel threads, what the name says (lower case, e.g.
 *             {@code kworker}, {@code ksoftirqd}); absent for user tasks
 * @param kindCpu the CPU a per-CPU kernel thread belongs to
 * @param lastCpu the CPU the task last ran on
 */
record TaskView(int pid, int ppid, String name, String state, String stateMeaning, boolean kernelThread,
        String kind, Integer kindCpu, int lastCpu, List<String> flags, long utimeTicks, long stimeTicks,
        int nice, int policy, int rtPriority, long startTimeTicks) {

    static TaskView of(ProcStat stat) {
        KthreadName name = KernelThread.of(stat).map(KernelThread::name).orElse(null);
        return new TaskView(stat.pid(), stat.ppid(), stat.name(), String.valueOf(stat.state()),
                stat.taskState().meaning(), stat.isKernelThread(),
                name == null ? null : kindName(name),
                name == null || name.cpu().isEmpty() ? null : name.cpu().getAsInt(),
                stat.processor(), stat.taskFlags().stream().map(TaskFlag::name).toList(),
                stat.utimeTicks(), stat.stimeTicks(), stat.nice(), stat.policy(), stat.rtPriority(),
                stat.startTimeTicks());
    }

    static String kindName(KthreadName name) {
        return name.kind().name().toLowerCase(Locale.ROOT);
    }
}
