// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.nio.charset.StandardCharsets;

/**
 * Parses the text of {@code /proc/PID/stat}. Pure: no file access.
 *
 * <p>The name sits between the first {@code (} and the <em>last</em>
 * {@code )}: a task may name itself {@code a) b (c} or put spaces and
 * newlines in its name, so neither the first {@code )} nor splitting the
 * whole line on spaces can be trusted. Everything after the last {@code )}
 * is numbers separated by single spaces, read here in place: a scan parses
 * thousands of these lines, and only the name becomes a new object.
 *
 * <p>Stateless and thread-safe; the caller must not change an array while
 * it is being parsed.
 */
public final class ProcStatParser {
    /* Indexes in the fields after the name: field N of proc(5) is N - 3. */
    private static final int STATE = 0;
    private static final int PPID = 1;
    private static final int FLAGS = 6;
    private static final int UTIME = 11;
    private static final int STIME = 12;
    private static final int NICE = 16;
    private static final int THREADS = 17;
    private static final int START_TIME = 19;
    private static final int PROCESSOR = 36;
    private static final int RT_PRIORITY = 37;
    private static final int POLICY = 38;

    private ProcStatParser() {
    }

    /**
     * Parses a whole stat line.
     *
     * @param content the file's bytes
     * @return the fields read
     * @throws MalformedProcFileException if the line is not in the format of proc(5)
     */
    public static ProcStat parse(byte[] content) {
        return parse(content, content.length);
    }

    /**
     * Parses the first {@code length} bytes of {@code content}.
     *
     * @param content a buffer that starts with the file's bytes
     * @param length how many bytes of {@code content} hold the line, at most
     *               {@code content.length}
     * @return the fields read
     * @throws MalformedProcFileException if the line is not in the format of proc(5)
     */
    public static ProcStat parse(byte[] content, int length) {
        int open = indexOf(content, length, (byte) '(');
        int close = lastIndexOf(content, length, (byte) ')');
        if (open < 1 || close < open) {
            throw new MalformedProcFileException("no '(name)' in stat line");
        }
        if (content[open - 1] != ' ') {
            throw new MalformedProcFileException("no space between pid and name");
        }
        long pid = number(content, 0, open - 1, "pid", true);
        if (pid > Integer.MAX_VALUE) {
            throw new MalformedProcFileException("pid out of range");
        }
        String name = new String(content, open + 1, close - open - 1, StandardCharsets.UTF_8);
        int end = length;
        while (end > close && (content[end - 1] == '\n' || content[end - 1] == ' ')) {
            end--;
        }
        Fields fields = new Fields(content, close + 2, end);
        if (close + 1 >= end || content[close + 1] != ' ') {
            throw new MalformedProcFileException("nothing after the name in stat line");
        }
        char state = fields.letter(STATE);
        TaskState.fromLetter(state);
        return new ProcStat((int) pid, name, state, (int) fields.signed(PPID, "ppid"),
                fields.unsigned(FLAGS, "flags"), fields.unsigned(UTIME, "utime"), fields.unsigned(STIME, "stime"),
                (int) fields.signed(NICE, "nice"), (int) fields.signed(THREADS, "num_threads"),
                fields.unsigned(START_TIME, "starttime"), (int) fields.signed(PROCESSOR, "processor"),
                (int) fields.signed(RT_PRIORITY, "rt_priority"), (int) fields.signed(POLICY, "policy"));
    }

    /*
     * Walks the space-separated fields after the name, forward only, and
     * reads each byte once: a field is parsed as it is scanned, and its end
     * is where the next seek starts.
     */
    private static final class Fields {
        private final byte[] content;
        private final int end;
        private int index;
        private int start;
        /* Where field index ends (exclusive), once known; -1 before. */
        private int stop = -1;

        Fields(byte[] content, int start, int end) {
            this.content = content;
            this.start = start;
            this.end = end;
        }

        /* Moves start to field i. */
        private void seek(int i, String field) {
            while (index < i) {
                int space = stop >= 0 ? stop : indexOf(content, start, end, (byte) ' ');
                if (space < 0 || space >= end) {
                    throw new MalformedProcFileException("stat line ends before its " + field + " field");
                }
                start = space + 1;
                stop = -1;
                index++;
            }
        }

        char letter(int i) {
            seek(i, "state");
            stop = start + 1;
            if (start >= end || (stop < end && content[stop] != ' ')) {
                throw new MalformedProcFileException("state is not one letter");
            }
            return (char) (content[start] & 0xff);
        }

        long signed(int i, String field) {
            long value = number(i, field, false);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new MalformedProcFileException(field + " out of range");
            }
            return value;
        }

        /* flags and times are unsigned in the kernel; kept as the bits of a long. */
        long unsigned(int i, String field) {
            return number(i, field, true);
        }

        private long number(int i, String field, boolean unsigned) {
            seek(i, field);
            boolean negative = !unsigned && start < end && content[start] == '-';
            int first = negative ? start + 1 : start;
            long value = 0;
            int at = first;
            for (; at < end; at++) {
                int digit = content[at] - '0';
                if (digit < 0 || digit > 9) {
                    break;
                }
                value = value * 10 + digit;
            }
            if (at == first || (at < end && content[at] != ' ')) {
                throw new MalformedProcFileException(field + " is not a number");
            }
            stop = at;
            if (at - first > 18) {
                // Could have overflowed the long: the rare, slow, exact path (times and rsslim are this long).
                return exact(content, start, at, field, unsigned);
            }
            return negative ? -value : value;
        }
    }

    private static long exact(byte[] content, int from, int to, String field, boolean unsigned) {
        String digits = new String(content, from, to - from, StandardCharsets.US_ASCII);
        try {
            return unsigned ? Long.parseUnsignedLong(digits) : Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException(field + " is not a number in range");
        }
    }

    private static long number(byte[] content, int from, int to, String field, boolean unsigned) {
        boolean negative = !unsigned && from < to && content[from] == '-';
        int first = negative ? from + 1 : from;
        if (first == to) {
            throw new MalformedProcFileException(field + " is not a number");
        }
        if (to - first > 18) {
            return exact(content, from, to, field, unsigned);
        }
        long value = 0;
        for (int i = first; i < to; i++) {
            int digit = content[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new MalformedProcFileException(field + " is not a number");
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }

    private static int indexOf(byte[] content, int length, byte wanted) {
        return indexOf(content, 0, length, wanted);
    }

    private static int indexOf(byte[] content, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (content[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] content, int length, byte wanted) {
        for (int i = length - 1; i >= 0; i--) {
            if (content[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
