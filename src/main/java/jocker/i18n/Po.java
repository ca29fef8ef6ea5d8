package jocker.i18n;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a gettext catalog (.po), the format translators and their tools
 * (msgfmt, poedit) know: {@code msgid "English"} then {@code msgstr "translation"},
 * each a C string, continued on following lines by more quoted strings.
 * Only what jocker's catalogs use: comments, msgid, msgstr; no plurals, no contexts.
 * An empty msgstr means "not translated yet".
 */
public final class Po {
    private Po() {}

    /** msgid -> msgstr, in file order, UTF-8; the header (empty msgid) and untranslated entries are left out. */
    public static Map<String, String> read(InputStream in) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        StringBuilder id = null;
        StringBuilder str = null;
        StringBuilder current = null;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int number = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            number++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("msgid ")) {
                add(entries, id, str);
                id = new StringBuilder(unquote(line.substring(6), number));
                str = null;
                current = id;
            } else if (line.startsWith("msgstr ")) {
                str = new StringBuilder(unquote(line.substring(7), number));
                current = str;
            } else if (line.startsWith("\"") && current != null) {
                current.append(unquote(line, number));
            } else {
                throw new IOException("line " + number + ": expected msgid, msgstr or a quoted string");
            }
        }
        add(entries, id, str);
        return entries;
    }

    /**
     * The translation of one msgid, or null, found in the catalog's text without
     * parsing all of it: `jocker run` needs one sentence, not two hundred. The
     * msgid must sit on one line (msgfmt's --no-wrap; TranslationParityTest checks
     * that our catalogs do); the msgstr may go on over several. No string + here:
     * its first use costs a cold JVM milliseconds.
     */
    public static String find(String catalog, String msgid) {
        String key = "msgid ".concat(quote(msgid)).concat("\nmsgstr ");
        int at = catalog.startsWith(key) ? 0 : catalog.indexOf("\n".concat(key));
        if (at < 0) return null;
        int line = catalog.indexOf("msgstr ", at) + 7;
        StringBuilder out = new StringBuilder();
        while (line < catalog.length() && catalog.charAt(line) == '"') {
            int end = catalog.indexOf('\n', line);
            if (end < 0) end = catalog.length();
            try {
                out.append(unquote(catalog.substring(line, end), 0));
            } catch (IOException e) {
                return null; // malformed: English it is
            }
            line = end + 1;
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static void add(Map<String, String> entries, StringBuilder id, StringBuilder str) {
        if (id != null && str != null && id.length() > 0 && str.length() > 0) entries.put(id.toString(), str.toString());
    }

    private static String unquote(String quoted, int number) throws IOException {
        quoted = quoted.strip();
        if (quoted.length() < 2 || !quoted.startsWith("\"") || !quoted.endsWith("\"")) {
            throw new IOException("line " + number + ": expected a \"quoted string\"");
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char next = quoted.charAt(++i);
            out.append(switch (next) {
                case 'n' -> '\n';
                case 't' -> '\t';
                default -> next; // \" and \\
            });
        }
        return out.toString();
    }

    /** The C string for a .po file: the inverse of {@link #read}'s unquoting. */
    public static String quote(String text) {
        String escaped = text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t");
        return "\"".concat(escaped).concat("\"");
    }
}
