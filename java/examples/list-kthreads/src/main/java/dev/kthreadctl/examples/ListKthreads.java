// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.examples;

import dev.kthreadctl.proc.KernelThread;
import dev.kthreadctl.proc.KernelThreads;
import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;

/** Prints the live kernel threads, one per line: pid, kind, name. Needs only kthreadctl-proc. */
public final class ListKthreads {
    private ListKthreads() {
    }

    /**
     * Lists the kernel threads of this machine.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        ProcScan scan;
        try (ProcScanner scanner = new ProcScanner()) {
            scan = scanner.scan();
        }
        for (KernelThread thread : KernelThreads.of(scan).all()) {
            System.out.printf("%7d  %-16s %s%n", thread.stat().pid(),
                    thread.name().kind().name().toLowerCase(java.util.Locale.ROOT), thread.stat().name());
        }
    }
}
