// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** How commands print: aligned tables for people, one JSON document for programs. */
final class Output {
    private Output() {
    }

    /* A holder, so that Jackson (hundreds of classes) is loaded only by a command that prints JSON. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
    }

    static void json(PrintWriter out, Object document) {
        try {
            out.println(Json.MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out.flush();
    }

    /** The terminal width from $COLUMNS, or 0 (no limit) when output is not a sized terminal. */
    static int terminalWidth() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}")) {
            return Integer.parseInt(columns);
        }
        return 0;
    }

    /** Shows control characters (a name may hold newlines or tabs) as escapes, one row per task. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\\') {
                out.append("\\\\");
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** A table whose columns are as wide as their widest cell; the last column is cut to the width. */
    static final class Table {
        private final List<String> headers;
        private final boolean[] rightAligned;
        private final List<List<String>> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = List.of(headers);
            this.rightAligned = new boolean[headers.length];
        }

        /** Numbers read best aligned right. */
        Table right(int... columns) {
            for (int column : columns) {
                rightAligned[column] = true;
            }
            return this;
        }

        Table row(Object... cells) {
            List<String> row = new ArrayList<>(cells.length);
            for (Object cell : cells) {
                row.add(cell == null ? "-" : printable(cell.toString()));
            }
            rows.add(row);
            return this;
        }

        void print(PrintWriter out) {
            int[] widths = new int[headers.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = headers.get(i).length();
                for (List<String> row : rows) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            int limit = terminalWidth();
            printRow(out, headers, widths, limit);
            for (List<String> row : rows) {
                printRow(out, row, widths, limit);
            }
            out.flush();
        }

        private void printRow(PrintWriter out, List<String> cells, int[] widths, int limit) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                String cell = cells.get(i);
                boolean last = i == cells.size() - 1;
                String padded = rightAligned[i] ? " ".repeat(widths[i] - cell.length()) + cell
                        : last ? cell : cell + " ".repeat(widths[i] - cell.length());
                line.append(i == 0 ? "" : "  ").append(padded);
            }
            String text = line.toString();
            out.println(limit > 0 && text.length() > limit ? text.substring(0, limit) : text);
        }
    }
}
