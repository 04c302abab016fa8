// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kernel log, as dmesg prints it, and what in it counts as the kernel
 * complaining.
 */
final class KernelLog {
    /*
     * The same list as KERNEL_COMPLAINTS in vm/lib.sh, which checks the
     * guest runs of the project's own module: oops, BUG, WARN, refcount,
     * lockdep, KASAN/KFENCE/UBSAN, kmemleak, hung task, lockups, RCU stalls.
     */
    private static final Pattern COMPLAINT = Pattern.compile("BUG:|WARNING:|Oops|refcount_t|general protection"
            + "|possible circular locking|possible recursive locking|inconsistent lock state|KASAN:|KFENCE:|UBSAN:"
            + "|kmemleak:.*suspected|blocked for more than|soft lockup|hard LOCKUP|rcu_sched self-detected stall"
            + "|rcu: INFO: .* detected stalls");
    /* The line of an oops report that names the task it happened in. */
    private static final Pattern TASK_LINE = Pattern.compile("\\bComm: ");
    private static final int MAX_LINES = 12;

    /** Where the log ended: how many lines it had, and the last of them. */
    record Mark(int lines, String last) {
    }

    private KernelLog() {
    }

    static Mark mark() throws InterruptedException {
        List<String> lines = read();
        return new Mark(lines.size(), lines.isEmpty() ? "" : lines.get(lines.size() - 1));
    }

    /** The lines logged after {@code mark}; all there are if the log wrapped past it. */
    static List<String> since(Mark mark) throws InterruptedException {
        List<String> lines = read();
        int from = mark.lines();
        if (from > lines.size() || from > 0 && !lines.get(from - 1).equals(mark.last())) {
            from = lines.lastIndexOf(mark.last()) + 1;
        }
        return lines.subList(from, lines.size());
    }

    /** The complaints among {@code lines}, with the task each oops names; at most a dozen. */
    static List<String> complaints(List<String> lines) {
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            if (found.size() < MAX_LINES && (COMPLAINT.matcher(line).find() || TASK_LINE.matcher(line).find())) {
                found.add(line.strip());
            }
        }
        return found.stream().anyMatch(line -> COMPLAINT.matcher(line).find()) ? found : List.of();
    }

    private static List<String> read() throws InterruptedException {
        Program dmesg = Program.run(Duration.ofSeconds(30), "dmesg");
        if (!dmesg.succeeded()) {
            throw new IllegalStateException("cannot read the kernel log: dmesg: " + dmesg.output());
        }
        return dmesg.output().lines().toList();
    }
}
