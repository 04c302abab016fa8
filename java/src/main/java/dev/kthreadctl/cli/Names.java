package dev.kthreadctl.cli;

/** Makes task names safe to print one per line. */
final class Names {
    private Names() {
    }

    /** Shows control characters (a name may hold newlines) as escapes. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
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
}
