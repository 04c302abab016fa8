// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * A thread the module just created: its handle id and its pid.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the handle for the other calls, 1 to 4294967295 (never 0)
 * @param pid the new task's pid, or 0 for a caller outside the initial pid
 *            namespace, where kernel threads cannot be seen
 */
public record CreatedThread(long id, int pid) {
}
