// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

/**
 * What a kernel thread is, as its name tells (see {@link KthreadName}).
 *
 * <p>Immutable and thread-safe.
 */
public enum KthreadKind {
    /** {@code kthreadd}, pid 2: the parent of every other kernel thread. */
    KTHREADD(false),
    /** {@code kworker/<cpu>:<id>[H]}: a worker of a per-CPU pool. */
    KWORKER(true),
    /** {@code kworker/u<pool>:<id>}: a worker of an unbound pool (the number is a pool id). */
    KWORKER_UNBOUND(false),
    /** {@code kworker/R-<wq>} (6.6+), or before 6.6 a PF_WQ_WORKER thread named after its workqueue. */
    KWORKER_RESCUER(false),
    /** {@code kworker/dying}: a worker on its way out. */
    KWORKER_DYING(false),
    /** {@code ksoftirqd/<cpu>}: runs softirqs that could not run on interrupt exit. */
    KSOFTIRQD(true),
    /** {@code migration/<cpu>}: the stopper thread, moves tasks between CPUs. */
    MIGRATION(true),
    /** {@code cpuhp/<cpu>}: CPU hotplug steps for its CPU. */
    CPUHP(true),
    /** {@code idle_inject/<cpu>}: forced idle for thermal control. */
    IDLE_INJECT(true),
    /** {@code ktimers/<cpu>}: timer softirqs on PREEMPT_RT kernels. */
    KTIMERS(true),
    /** {@code rcu_preempt}, {@code rcu_sched}: the RCU grace-period kthread. */
    RCU_GP(false),
    /** {@code rcuop/<cpu>}, {@code rcuos/<cpu>}: RCU callback offloading for a CPU. */
    RCU_OFFLOAD(true),
    /** {@code rcuog/<cpu>}: grace-period kthread of an offloading group, led by that CPU. */
    RCU_OFFLOAD_GP(false),
    /** {@code rcuc/<cpu>}: RCU core processing for a CPU (RCU_BOOST / RT). */
    RCU_CORE(true),
    /** {@code rcu_tasks_kthread}, {@code rcu_tasks_rude_kthread}, {@code rcu_tasks_trace_kthread}. */
    RCU_TASKS(false),
    /** {@code irq/<n>-<name>} or {@code irq/<n>-s-<name>}: a threaded interrupt handler. */
    IRQ(false),
    /** Any other kernel thread: kswapd0, jbd2/sda1-8, khungtaskd, … */
    OTHER(false);

    private final boolean perCpu;

    KthreadKind(boolean perCpu) {
        this.perCpu = perCpu;
    }

    /**
     * Whether threads of this kind come one or more per CPU, each named
     * after its CPU.
     *
     * @return true for per-CPU kinds ({@code kworker/<cpu>:<id>},
     *         {@code ksoftirqd/<cpu>}, ...)
     */
    public boolean perCpu() {
        return perCpu;
    }
}
