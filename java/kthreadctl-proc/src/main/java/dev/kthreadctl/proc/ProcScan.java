// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The tasks one pass over /proc found, and the files it could not read or parse.
 *
 * <p>Immutable and thread-safe: both lists are unmodifiable copies.
 *
 * @param tasks the stat line of each task read, in pid order for a scan by
 *              {@link ProcScanner#scan()}
 * @param problems the files that could not be read or parsed, and why
 */
public record ProcScan(List<ProcStat> tasks, List<ScanProblem> problems) {
    /**
     * Copies both lists.
     *
     * @param tasks the stat line of each task read
     * @param problems the files that could not be read or parsed
     * @throws NullPointerException if a list is null or holds a null
     */
    public ProcScan {
        tasks = List.copyOf(tasks);
        problems = List.copyOf(problems);
    }

    /**
     * The tasks whose stat flags have PF_KTHREAD set.
     *
     * @return a new list of them, in the order of {@link #tasks()}
     */
    public List<ProcStat> kernelThreads() {
        return tasks.stream().filter(ProcStat::isKernelThread).collect(Collectors.toList());
    }
}
