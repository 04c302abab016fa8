// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields kthreadctl uses of one {@code /proc/PID/status} (proc(5)).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the Name line, unescaped (the kernel writes a newline in a
 *             name as {@code \n} and a backslash as {@code \\})
 * @param state the first letter of the State line
 * @param ppid the PPid line
 * @param kthread the {@code Kthread:} line, the kernel's own answer, where it
 *                prints one (6.12, 6.18 and 7.2 do; 6.1 does not)
 * @param cpusAllowedList the Cpus_allowed_list line, e.g. {@code 0-3}, or
 *                        empty if there is none
 * @param voluntaryContextSwitches the voluntary_ctxt_switches line, if present
 * @param nonvoluntaryContextSwitches the nonvoluntary_ctxt_switches line, if present
 * @param hasVm whether any {@code Vm*} line is present: only tasks with a
 *              user address space (an mm) have them
 */
public record ProcStatus(String name, char state, int ppid, Optional<Boolean> kthread,
        String cpusAllowedList, OptionalLong voluntaryContextSwitches,
        OptionalLong nonvoluntaryContextSwitches, boolean hasVm) {
}
