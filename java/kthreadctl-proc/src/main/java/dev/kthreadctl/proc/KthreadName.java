// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel thread's name, read by the naming rules of kernels 6.1 to 7.x.
 * Only names of tasks already known to be kernel threads should be read:
 * a user process may call itself {@code kworker/0:1}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the name as read, unchanged
 * @param kind what the name says the thread is
 * @param cpu the CPU in the name, for per-CPU threads and {@code rcuog}
 * @param pool the pool id of an unbound kworker ({@code u<pool>})
 * @param highPriority an {@code H} kworker, of a high-priority pool
 * @param activity for kworkers: {@code '+'} it is running a work item of
 *                 {@link #subject()} now, {@code '-'} that was the last one
 * @param subject the workqueue (kworker activity, rescuer), the IRQ handler's
 *                name, or empty
 * @param irq the interrupt number of an IRQ thread
 * @param secondary an IRQ thread's secondary handler ({@code irq/<n>-s-<name>})
 */
public record KthreadName(String name, KthreadKind kind, OptionalInt cpu, OptionalInt pool, boolean highPriority,
        Optional<Character> activity, String subject, OptionalInt irq, boolean secondary) {

    private static final Pattern KWORKER = Pattern.compile("kworker/(u?)(\\d{1,9}):(\\d{1,9})(H?)(?:([+-])(.*))?", Pattern.DOTALL);
    private static final Pattern RESCUER = Pattern.compile("kworker/R-(.+)", Pattern.DOTALL);
    private static final Pattern PER_CPU = Pattern.compile("(ksoftirqd|migration|cpuhp|idle_inject|ktimers)/(\\d{1,9})");
    private static final Pattern RCU_GP = Pattern.compile("rcu_(preempt|sched|bh)");
    private static final Pattern RCU_OFFLOAD = Pattern.compile("rcuo([ps])/(\\d{1,9})");
    private static final Pattern RCU_OFFLOAD_GP = Pattern.compile("rcuog/(\\d{1,9})");
    private static final Pattern RCU_CORE = Pattern.compile("rcuc/(\\d{1,9})");
    private static final Pattern RCU_TASKS = Pattern.compile("rcu_tasks_[a-z_]+");
    private static final Pattern IRQ = Pattern.compile("irq/(\\d{1,9})-(s-)?(.+)", Pattern.DOTALL);

    /**
     * Checks that {@code name} and {@code kind} are present; the other
     * components are taken as given.
     *
     * @param name the name as read
     * @param kind what the name says the thread is
     * @param cpu the CPU in the name
     * @param pool the pool id of an unbound kworker
     * @param highPriority whether it is an {@code H} kworker
     * @param activity a kworker's {@code '+'} or {@code '-'}
     * @param subject the workqueue or IRQ handler name, or empty
     * @param irq the interrupt number of an IRQ thread
     * @param secondary whether it is an IRQ thread's secondary handler
     * @throws NullPointerException if {@code name} or {@code kind} is null
     */
    public KthreadName {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
    }

    /**
     * Reads a kernel thread's name, with its PF_* flags. PF_WQ_WORKER tells
     * real kworkers from threads that only bear the name (kthreadctl lets
     * anyone name a thread {@code kworker/0:1}), and tells the rescuers of
     * kernels before 6.6, which bear only their workqueue's name.
     *
     * @param name the name, as {@link ProcStat#name()} gives it
     * @param flags the task's PF_* flags, field 9 of its stat line
     * @return what the name says; {@link KthreadKind#OTHER} if no rule matches
     */
    public static KthreadName parse(String name, long flags) {
        boolean workqueueWorker = TaskFlag.PF_WQ_WORKER.isSetIn(flags);
        Matcher m;
        if (name.equals("kthreadd")) {
            return simple(name, KthreadKind.KTHREADD);
        }
        if (workqueueWorker && (m = KWORKER.matcher(name)).matches()) {
            boolean unbound = !m.group(1).isEmpty();
            int number = parseNumber(m.group(2));
            Optional<Character> activity = m.group(5) == null ? Optional.empty() : Optional.of(m.group(5).charAt(0));
            String subject = m.group(6) == null ? "" : m.group(6);
            return new KthreadName(name, unbound ? KthreadKind.KWORKER_UNBOUND : KthreadKind.KWORKER,
                    unbound ? OptionalInt.empty() : OptionalInt.of(number),
                    unbound ? OptionalInt.of(number) : OptionalInt.empty(),
                    !m.group(4).isEmpty(), activity, subject, OptionalInt.empty(), false);
        }
        if (workqueueWorker && (m = RESCUER.matcher(name)).matches()) {
            return withSubject(name, KthreadKind.KWORKER_RESCUER, m.group(1));
        }
        if (name.equals("kworker/dying")) {
            return simple(name, KthreadKind.KWORKER_DYING);
        }
        if ((m = PER_CPU.matcher(name)).matches()) {
            KthreadKind kind = switch (m.group(1)) {
                case "ksoftirqd" -> KthreadKind.KSOFTIRQD;
                case "migration" -> KthreadKind.MIGRATION;
                case "cpuhp" -> KthreadKind.CPUHP;
                case "idle_inject" -> KthreadKind.IDLE_INJECT;
                default -> KthreadKind.KTIMERS;
            };
            return onCpu(name, kind, m.group(2));
        }
        if (RCU_GP.matcher(name).matches()) {
            return simple(name, KthreadKind.RCU_GP);
        }
        if ((m = RCU_OFFLOAD.matcher(name)).matches()) {
            return onCpu(name, KthreadKind.RCU_OFFLOAD, m.group(2));
        }
        if ((m = RCU_OFFLOAD_GP.matcher(name)).matches()) {
            return onCpu(name, KthreadKind.RCU_OFFLOAD_GP, m.group(1));
        }
        if ((m = RCU_CORE.matcher(name)).matches()) {
            return onCpu(name, KthreadKind.RCU_CORE, m.group(1));
        }
        if (RCU_TASKS.matcher(name).matches()) {
            return simple(name, KthreadKind.RCU_TASKS);
        }
        if ((m = IRQ.matcher(name)).matches()) {
            return new KthreadName(name, KthreadKind.IRQ, OptionalInt.empty(), OptionalInt.empty(), false,
                    Optional.empty(), m.group(3), OptionalInt.of(parseNumber(m.group(1))), m.group(2) != null);
        }
        if (workqueueWorker) {
            return withSubject(name, KthreadKind.KWORKER_RESCUER, name);
        }
        return simple(name, KthreadKind.OTHER);
    }

    private static KthreadName simple(String name, KthreadKind kind) {
        return withSubject(name, kind, "");
    }

    private static KthreadName withSubject(String name, KthreadKind kind, String subject) {
        return new KthreadName(name, kind, OptionalInt.empty(), OptionalInt.empty(), false, Optional.empty(),
                subject, OptionalInt.empty(), false);
    }

    private static KthreadName onCpu(String name, KthreadKind kind, String cpu) {
        return new KthreadName(name, kind, OptionalInt.of(parseNumber(cpu)), OptionalInt.empty(), false,
                Optional.empty(), "", OptionalInt.empty(), false);
    }

    /* At most nine digits, as the patterns match: always an int. */
    private static int parseNumber(String digits) {
        return Integer.parseInt(digits);
    }
}
