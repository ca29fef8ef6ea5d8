package jocker.i18n;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes target/messages.pot: every msgid of the code, the template a new LANG.po starts from. */
final class PotDump {
    private PotDump() {}

    static Path write(Map<String, String> ids, Map<String, String> existing, Path file) throws Exception {
        StringBuilder out = new StringBuilder("# jocker's messages: the English sentences of src/main/java (tr and mark).\n"
                + "# Copy to src/main/resources/jocker/i18n/LANG.po and fill in each msgstr.\n\n");
        for (Map.Entry<String, String> e : ids.entrySet()) {
            out.append("#: ").append(e.getValue()).append('\n')
                    .append("msgid ").append(Po.quote(e.getKey())).append('\n')
                    .append("msgstr ").append(Po.quote(existing.getOrDefault(e.getKey(), ""))).append("\n\n");
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, out);
        return file;
    }

    public static void main(String[] args) throws Exception {
        List<String> errors = new ArrayList<>();
        Map<String, String> ids = MessageIds.in(Path.of("src/main/java"), errors);
        errors.forEach(System.err::println);
        System.out.println(write(ids, Map.of(), Path.of(args.length > 0 ? args[0] : "target/messages.pot")));
    }
}
