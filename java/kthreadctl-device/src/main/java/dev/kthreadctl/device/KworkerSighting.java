// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * The kworker that last ran a {@link WorkKind#WORKQUEUE} thread's work item.
 *
 * <p>Immutable and thread-safe.
 *
 * @param pid the kworker's pid, or 0 for a caller outside the initial pid namespace
 * @param comm its task->comm (up to 15 bytes, e.g. {@code kworker/1:2}; /proc
 *             adds what it is working on)
 * @param workItemsRun how many of the thread's work items have run so far
 */
public record KworkerSighting(int pid, String comm, long workItemsRun) {
}
