package dev.kthreadctl.proc;

import java.nio.charset.StandardCharsets;

/**
 * Parses the text of {@code /proc/PID/stat}. Pure: no file access.
 *
 * <p>The name sits between the first {@code (} and the <em>last</em>
 * {@code )}: a task may name itself {@code a) b (c} or put spaces and
 * newlines in its name, so neither the first {@code )} nor splitting the
 * whole line on spaces can be trusted. Everything after the last {@code )}
 * is numbers separated by single spaces.
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

    public static ProcStat parse(byte[] content) {
        return parse(content, content.length);
    }

    /** Parses the first {@code length} bytes of {@code content}. */
    public static ProcStat parse(byte[] content, int length) {
        int open = indexOf(content, length, (byte) '(');
        int close = lastIndexOf(content, length, (byte) ')');
        if (open < 1 || close < open) {
            throw new MalformedProcFileException("no '(name)' in stat line");
        }
        int pid = parseInt(new String(content, 0, open, StandardCharsets.US_ASCII).trim(), "pid");
        String name = new String(content, open + 1, close - open - 1, StandardCharsets.UTF_8);
        int end = length;
        while (end > close && (content[end - 1] == '\n' || content[end - 1] == ' ')) {
            end--;
        }
        if (close + 2 > end) {
            throw new MalformedProcFileException("nothing after the name in stat line");
        }
        String[] fields = new String(content, close + 2, end - close - 2, StandardCharsets.US_ASCII).split(" ");
        if (fields.length <= POLICY) {
            throw new MalformedProcFileException("stat line has " + (fields.length + 2)
                    + " fields, expected at least " + (POLICY + 3));
        }
        if (fields[STATE].length() != 1) {
            throw new MalformedProcFileException("state is not one letter: '" + fields[STATE] + "'");
        }
        TaskState.fromLetter(fields[STATE].charAt(0));
        return new ProcStat(pid, name, fields[STATE].charAt(0), parseInt(fields[PPID], "ppid"),
                parseLong(fields[FLAGS], "flags"), parseLong(fields[UTIME], "utime"),
                parseLong(fields[STIME], "stime"), parseInt(fields[NICE], "nice"),
                parseInt(fields[THREADS], "num_threads"), parseLong(fields[START_TIME], "starttime"),
                parseInt(fields[PROCESSOR], "processor"), parseInt(fields[RT_PRIORITY], "rt_priority"),
                parseInt(fields[POLICY], "policy"));
    }

    private static int indexOf(byte[] content, int length, byte wanted) {
        for (int i = 0; i < length; i++) {
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

    private static int parseInt(String text, String field) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException(field + " is not a number: '" + text + "'");
        }
    }

    /* flags and times are unsigned in the kernel; parse them as such. */
    private static long parseLong(String text, String field) {
        try {
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException(field + " is not a number: '" + text + "'");
        }
    }
}
