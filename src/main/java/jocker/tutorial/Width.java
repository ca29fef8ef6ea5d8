package jocker.tutorial;

import org.jline.utils.WCWidth;

/**
 * Text measured in terminal columns, not characters: a CJK character takes two
 * columns, a combining mark none. Everything the shell lines up (the lesson
 * list, tables, the status line) pads and cuts with these, so Chinese titles
 * line up with English ones.
 */
final class Width {
    private Width() {}

    /** Columns {@code text} takes on a terminal (no escape sequences expected). */
    static int of(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            columns += Math.max(0, WCWidth.wcwidth(cp));
            i += Character.charCount(cp);
        }
        return columns;
    }

    /** {@code text} padded with spaces on the right to {@code columns} (as printf's %-Ns, by columns). */
    static String pad(String text, int columns) {
        int width = of(text);
        return width >= columns ? text : text + " ".repeat(columns - width);
    }

    /** {@code text} cut to fit {@code columns}, with "…" where it was cut; never splits a wide character. */
    static String fit(String text, int columns) {
        if (of(text) <= columns) return text;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int w = Math.max(0, WCWidth.wcwidth(cp));
            if (used + w > columns - 1) break;
            out.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
        }
        return out.append('…').toString();
    }
}
