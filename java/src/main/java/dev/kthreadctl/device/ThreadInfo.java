package dev.kthreadctl.device;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the module knows of one managed thread.
 *
 * @param iterations iterations its function completed
 * @param exitValue the value chosen at create
 * @param result what its function returned, once it has
 * @param cpu the CPU it last ran on, or -1 while it is being stopped
 * @param boundCpu the CPU it was bound to, if any
 * @param ranFunction its function has started
 * @param sawNoMm its function saw {@code current->mm == NULL}: no user address space
 * @param sawPfKthread its function saw PF_KTHREAD in {@code current->flags}
 * @param kworker for workqueue work, the kworker that last ran its item
 */
public record ThreadInfo(long id, int pid, String name, long iterations, Lifecycle lifecycle, WorkKind work,
        Duration period, int exitValue, OptionalInt result, int cpu, OptionalInt boundCpu,
        boolean ranFunction, boolean sawNoMm, boolean sawPfKthread, Optional<KworkerSighting> kworker) {
}
