// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.device;

/**
 * What a wake did. Waking is harmless to repeat: a sleeping thread only starts
 * its next iteration early, a busy, parked or exited one is not touched.
 *
 * <p>Immutable and thread-safe.
 *
 * @param started this call was the thread's first wake: its function began
 * @param wokeSleeper wake_up_process() found it asleep and woke it
 */
public record WakeResult(boolean started, boolean wokeSleeper) {
}
