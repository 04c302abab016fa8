// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KthreadNameTest {
    /* What a kworker's stat flags hold: PF_KTHREAD | PF_WQ_WORKER | ... (0x4208060). */
    private static final long KWORKER_FLAGS = 0x4208060L;
    private static final long KTHREAD_FLAGS = 0x208040L;

    @ParameterizedTest(name = "{0} is {1} on cpu {2}")
    @CsvSource(delimiter = '|', value = {
        "kthreadd                 | KTHREADD       | ",
        "ksoftirqd/0              | KSOFTIRQD      | 0",
        "ksoftirqd/127            | KSOFTIRQD      | 127",
        "migration/1              | MIGRATION      | 1",
        "cpuhp/3                  | CPUHP          | 3",
        "idle_inject/2            | IDLE_INJECT    | 2",
        "ktimers/0                | KTIMERS        | 0",
        "rcu_preempt              | RCU_GP         | ",
        "rcu_sched                | RCU_GP         | ",
        "rcuop/5                  | RCU_OFFLOAD    | 5",
        "rcuos/5                  | RCU_OFFLOAD    | 5",
        "rcuog/0                  | RCU_OFFLOAD_GP | 0",
        "rcuc/1                   | RCU_CORE       | 1",
        "rcu_tasks_kthread        | RCU_TASKS      | ",
        "rcu_tasks_rude_kthread   | RCU_TASKS      | ",
        "rcu_tasks_trace_kthread  | RCU_TASKS      | ",
        "kswapd0                  | OTHER          | ",
        "jbd2/sda1-8              | OTHER          | ",
        "ksoftirqd/x              | OTHER          | ",
        "ksoftirqd/1234567890     | OTHER          | ",
        "migration                | OTHER          | ",
        "rcu_gp                   | OTHER          | ",
    })
    void kindsAndCpus(String name, KthreadKind kind, Integer cpu) {
        KthreadName parsed = KthreadName.parse(name, KTHREAD_FLAGS);
        assertEquals(kind, parsed.kind());
        assertEquals(cpu == null ? OptionalInt.empty() : OptionalInt.of(cpu), parsed.cpu());
    }

    @Test
    void perCpuKworkersWithPriorityAndActivity() {
        KthreadName idle = KthreadName.parse("kworker/1:2", KWORKER_FLAGS);
        assertEquals(KthreadKind.KWORKER, idle.kind());
        assertEquals(OptionalInt.of(1), idle.cpu());
        assertFalse(idle.highPriority());
        assertEquals(Optional.empty(), idle.activity());

        KthreadName high = KthreadName.parse("kworker/0:1H-kblockd", KWORKER_FLAGS);
        assertTrue(high.highPriority());
        assertEquals(Optional.of('-'), high.activity());
        assertEquals("kblockd", high.subject());

        KthreadName busy = KthreadName.parse("kworker/3:0+mm_percpu_wq", KWORKER_FLAGS);
        assertEquals(Optional.of('+'), busy.activity());
        assertEquals("mm_percpu_wq", busy.subject());
        // The workqueue name may itself hold '-'.
        assertEquals("flush-254:0", KthreadName.parse("kworker/u8:0-flush-254:0", KWORKER_FLAGS).subject());
    }

    @Test
    void unboundKworkersCarryAPoolIdNotACpu() {
        KthreadName unbound = KthreadName.parse("kworker/u8:3-events_unbound", KWORKER_FLAGS);
        assertEquals(KthreadKind.KWORKER_UNBOUND, unbound.kind());
        assertEquals(OptionalInt.empty(), unbound.cpu());
        assertEquals(OptionalInt.of(8), unbound.pool());
        assertFalse(unbound.kind().perCpu());
    }

    @Test
    void rescuersByNameSince66AndByFlagBefore() {
        KthreadName modern = KthreadName.parse("kworker/R-kblockd", KWORKER_FLAGS);
        assertEquals(KthreadKind.KWORKER_RESCUER, modern.kind());
        assertEquals("kblockd", modern.subject());
        KthreadName old = KthreadName.parse("kblockd", KWORKER_FLAGS);
        assertEquals(KthreadKind.KWORKER_RESCUER, old.kind());
        assertEquals("kblockd", old.subject());
        assertEquals(KthreadKind.KWORKER_DYING, KthreadName.parse("kworker/dying", KTHREAD_FLAGS).kind());
    }

    @Test
    void aKthreadMerelyNamedLikeAKworkerIsNotOne() {
        // kthreadctl lets anyone create a kernel thread called kworker/0:1; it lacks PF_WQ_WORKER.
        assertEquals(KthreadKind.OTHER, KthreadName.parse("kworker/0:1", KTHREAD_FLAGS).kind());
        assertEquals(KthreadKind.OTHER, KthreadName.parse("kworker/R-fake", KTHREAD_FLAGS).kind());
    }

    @Test
    void irqThreadsWithSpacesAndSecondaryHandlers() {
        KthreadName irq = KthreadName.parse("irq/24-PCIe PME", KTHREAD_FLAGS);
        assertEquals(KthreadKind.IRQ, irq.kind());
        assertEquals(OptionalInt.of(24), irq.irq());
        assertEquals("PCIe PME", irq.subject());
        assertFalse(irq.secondary());
        KthreadName secondary = KthreadName.parse("irq/9-s-acpi", KTHREAD_FLAGS);
        assertTrue(secondary.secondary());
        assertEquals("acpi", secondary.subject());
    }
}
