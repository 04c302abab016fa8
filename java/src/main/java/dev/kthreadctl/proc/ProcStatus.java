package dev.kthreadctl.proc;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fields kthreadctl uses of one {@code /proc/PID/status} (proc(5)).
 *
 * @param name the Name line, unescaped (the kernel writes a newline in a
 *             name as {@code \n} and a backslash as {@code \\})
 * @param kthread the {@code Kthread:} line, the kernel's own answer, where it
 *                prints one (6.12, 6.18 and 7.2 do; 6.1 does not)
 * @param hasVm whether any {@code Vm*} line is present: only tasks with a
 *              user address space (an mm) have them
 */
public record ProcStatus(String name, char state, int ppid, Optional<Boolean> kthread,
        String cpusAllowedList, OptionalLong voluntaryContextSwitches,
        OptionalLong nonvoluntaryContextSwitches, boolean hasVm) {
}
