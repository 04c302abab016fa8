// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the module knows of one managed thread, as one INFO call saw it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id its handle id
 * @param pid its pid, or 0 for a caller outside the initial pid namespace
 * @param name its name, as given at create
 * @param iterations iterations its function completed
 * @param lifecycle where it is in its life
 * @param work what its function does each iteration
 * @param period how long one iteration lasts
 * @param exitValue the value chosen at create
 * @param result what its function returned, once it has
 * @param cpu the CPU it last ran on (task_cpu())
 * @param boundCpu the CPU it was bound to, while the kernel still keeps it
 *                 there (a CPU that went offline widens its affinity)
 * @param ranFunction its function has started
 * @param sawNoMm its function saw {@code current->mm == NULL}: no user address space
 * @param sawPfKthread its function saw PF_KTHREAD in {@code current->flags}
 * @param kworker for workqueue work, the kworker that last ran its item
 */
public record ThreadInfo(long id, int pid, String name, long iterations, Lifecycle lifecycle, WorkKind work,
        Duration period, int exitValue, OptionalInt result, int cpu, OptionalInt boundCpu,
        boolean ranFunction, boolean sawNoMm, boolean sawPfKthread, Optional<KworkerSighting> kworker) {
}
