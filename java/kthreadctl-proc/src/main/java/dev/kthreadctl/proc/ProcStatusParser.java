// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.proc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Parses the text of {@code /proc/PID/status}. Pure: no file access.
 *
 * <p>Stateless and thread-safe; the caller must not change an array while
 * it is being parsed.
 */
public final class ProcStatusParser {
    private ProcStatusParser() {
    }

    /**
     * Parses a status file, read as UTF-8. Lines it does not use are skipped.
     *
     * @param content the file's bytes
     * @return the fields read
     * @throws MalformedProcFileException if the Name, State or PPid line is
     *         missing, a number does not parse, the state letter is unknown,
     *         or the Kthread line is neither 0 nor 1
     */
    public static ProcStatus parse(byte[] content) {
        String name = null;
        char state = 0;
        Integer ppid = null;
        Optional<Boolean> kthread = Optional.empty();
        String cpus = "";
        OptionalLong voluntary = OptionalLong.empty();
        OptionalLong nonvoluntary = OptionalLong.empty();
        boolean hasVm = false;
        // The Name value is escaped, so no line holds a raw newline.
        for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "Name" -> name = unescape(line.substring(colon + 1).replaceFirst("^\t", ""));
                case "State" -> state = value.isEmpty() ? 0 : value.charAt(0);
                case "PPid" -> ppid = parseInt(value, key);
                case "Kthread" -> kthread = Optional.of(parseFlag(value));
                case "Cpus_allowed_list" -> cpus = value;
                case "voluntary_ctxt_switches" -> voluntary = OptionalLong.of(parseLong(value, key));
                case "nonvoluntary_ctxt_switches" -> nonvoluntary = OptionalLong.of(parseLong(value, key));
                default -> hasVm |= key.startsWith("Vm");
            }
        }
        if (name == null || state == 0 || ppid == null) {
            throw new MalformedProcFileException("status lacks a Name, State or PPid line");
        }
        TaskState.fromLetter(state);
        return new ProcStatus(name, state, ppid, kthread, cpus, voluntary, nonvoluntary, hasVm);
    }

    /* The kernel escapes only '\n' and '\\' in the Name line: a tab stays a tab. */
    static String unescape(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                out.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case '\\' -> out.append('\\');
                default -> out.append('\\').append(next);
            }
        }
        return out.toString();
    }

    private static boolean parseFlag(String value) {
        return switch (value) {
            case "1" -> true;
            case "0" -> false;
            default -> throw new MalformedProcFileException("Kthread is neither 0 nor 1: '" + value + "'");
        };
    }

    private static int parseInt(String value, String key) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException(key + " is not a number: '" + value + "'");
        }
    }

    private static long parseLong(String value, String key) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new MalformedProcFileException(key + " is not a number: '" + value + "'");
        }
    }
}
