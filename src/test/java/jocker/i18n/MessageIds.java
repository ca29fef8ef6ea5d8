package jocker.i18n;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What xgettext does for C: finds every sentence the code marks for
 * translation, {@code tr("...")} and {@code mark("...")}, in the Java sources.
 * The sentence must be a literal (or literals joined with +): a msgid built at
 * run time could never be found in a catalog, so it is reported as an error.
 */
final class MessageIds {
    /** A msgid and where it was first seen ("jocker/Main.java:56"). */
    record Found(String id, String where) {}

    private MessageIds() {}

    static Map<String, String> in(Path sourceRoot, List<String> errors) {
        Map<String, String> ids = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String source = Files.readString(file);
                for (Found f : scan(source, sourceRoot.relativize(file).toString(), errors)) ids.putIfAbsent(f.id(), f.where());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    static List<Found> scan(String source, String name, List<String> errors) {
        List<Found> found = new ArrayList<>();
        for (String call : List.of("tr(", "mark(")) {
            for (int at = source.indexOf(call); at >= 0; at = source.indexOf(call, at + 1)) {
                if (at > 0 && (Character.isJavaIdentifierPart(source.charAt(at - 1)))) continue; // e.g. attr(, remark(
                if (isDeclaration(source, at)) continue;
                String where = name + ":" + (source.substring(0, at).split("\n", -1).length);
                StringBuilder id = new StringBuilder();
                int i = skipBlanks(source, at + call.length());
                while (true) {
                    if (source.charAt(i) != '"') {
                        errors.add(where + ": the sentence given to " + call + "...) is not a string literal");
                        break;
                    }
                    i = literal(source, i, id);
                    i = skipBlanks(source, i);
                    if (source.charAt(i) != '+') break;
                    i = skipBlanks(source, i + 1);
                }
                if (id.length() > 0) found.add(new Found(id.toString(), where));
            }
        }
        return found;
    }

    /** "public static String tr(String english ...": the method itself, not a call. */
    private static boolean isDeclaration(String source, int at) {
        int lineStart = source.lastIndexOf('\n', at) + 1;
        String before = source.substring(lineStart, at).strip();
        return before.endsWith("String") || before.startsWith("*") || before.startsWith("//");
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        return i;
    }

    /** Reads the Java string literal starting at the quote at {@code i} into {@code out}; returns the index after it. */
    private static int literal(String s, int i, StringBuilder out) {
        for (i = i + 1; s.charAt(i) != '"'; i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                char n = s.charAt(++i);
                out.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                out.append(c);
            }
        }
        return i + 1;
    }
}
