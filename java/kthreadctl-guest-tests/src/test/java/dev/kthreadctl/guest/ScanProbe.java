// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.guest;

import dev.kthreadctl.proc.ProcScan;
import dev.kthreadctl.proc.ProcScanner;

/**
 * Run by ProcDiscoveryGuestTest in a JVM with a small open-file limit:
 * scans /proc three times with one scanner and prints the tasks and problems
 * of the last scan.
 */
public final class ScanProbe {
    private ScanProbe() {
    }

    public static void main(String[] args) {
        try (ProcScanner scanner = new ProcScanner()) {
            ProcScan scan = null;
            for (int i = 0; i < 3; i++) {
                scan = scanner.scan();
            }
            System.out.println(scan.tasks().size() + " " + scan.problems().size());
        }
    }
}
