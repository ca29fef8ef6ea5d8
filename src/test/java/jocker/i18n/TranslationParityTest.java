package jocker.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every language says everything English says, and nothing else: the code's
 * sentences and each catalog, the manifest's titles and hints and each
 * course.po, the lessons of lessons/en/ and of each other language. A
 * translated lesson keeps the English one's code blocks and links exactly.
 */
class TranslationParityTest {
    private static final Path HOME = Path.of("").toAbsolutePath();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\d}");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)]+)\\)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--?[a-z][a-z-]*");
    private static final Pattern COMMAND_LINE = Pattern.compile("'jocker [^']*'|sudo bin/jocker .*");

    private static List<String> otherLanguages() {
        return Messages.LANGUAGES.stream().filter(l -> !l.equals(Messages.ENGLISH)).toList();
    }

    @Test
    void everySentenceOfTheCodeIsALiteralAndEveryCatalogTranslatesExactlyThose() throws Exception {
        List<String> errors = new ArrayList<>();
        Map<String, String> ids = MessageIds.in(HOME.resolve("src/main/java"), errors);
        assertEquals(List.of(), errors, "tr() and mark() need literal sentences");
        assertTrue(ids.size() > 150, "found only " + ids.size() + " sentences: is the extractor broken?");
        for (String lang : otherLanguages()) {
            Map<String, String> catalog = read(Path.of("src/main/resources/jocker/i18n/" + lang + ".po"));
            PotDump.write(ids, catalog, HOME.resolve("target/" + lang + ".po.new")); // a translator's starting point
            assertParity("src/main/java", ids.keySet(), "src/main/resources/jocker/i18n/" + lang + ".po", catalog);
            String text = Files.readString(HOME.resolve("src/main/resources/jocker/i18n/" + lang + ".po"));
            for (Map.Entry<String, String> e : catalog.entrySet()) {
                assertEquals(e.getValue(), Po.find(text, e.getKey()), lang + ".po: the msgid must sit on one line: " + e.getKey());
            }
        }
        PotDump.write(ids, Map.of(), HOME.resolve("target/messages.pot"));
    }

    @Test
    void everyTitleAndHintOfTheManifestIsTranslated() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(HOME.resolve("lessons/manifest.json").toFile());
        Set<String> english = new LinkedHashSet<>();
        for (JsonNode lesson : manifest.get("lessons")) {
            english.add(lesson.get("title").asText());
            lesson.get("hints").forEach(h -> english.add(h.asText()));
        }
        for (String lang : otherLanguages()) {
            Path file = Path.of("lessons/" + lang + "/course.po");
            assertParity("lessons/manifest.json", english, file.toString(), read(file));
        }
    }

    @Test
    void everyLessonExistsInEveryLanguageWithTheSameCodeAndLinks() throws IOException {
        Set<String> english = lessons(Messages.ENGLISH);
        assertEquals(14, english.size());
        for (String lang : otherLanguages()) {
            assertEquals(english, lessons(lang), "lessons/en/ and lessons/" + lang + "/ must hold the same files");
            for (String file : english) {
                String en = Files.readString(HOME.resolve("lessons/en/" + file));
                String other = Files.readString(HOME.resolve("lessons/" + lang + "/" + file));
                assertEquals(codeBlocks(en), codeBlocks(other), lang + "/" + file + ": code blocks must stay as in English");
                assertEquals(links(en), links(other), lang + "/" + file + ": links must stay as in English");
            }
        }
    }

    /** help.txt and help-run.txt have a help.LANG.txt and help-run.LANG.txt that name the same options and commands. */
    @Test
    void everyHelpTextIsTranslatedWithTheSameOptions() throws IOException {
        for (String name : List.of("help", "help-run")) {
            String en = Files.readString(HOME.resolve("src/main/resources/jocker/" + name + ".txt"));
            for (String lang : otherLanguages()) {
                Path file = HOME.resolve("src/main/resources/jocker/" + name + "." + lang + ".txt");
                assertTrue(Files.exists(file), file + " is missing");
                String other = Files.readString(file);
                assertEquals(words(OPTION, en), words(OPTION, other), file + ": the options");
                assertEquals(words(COMMAND_LINE, en), words(COMMAND_LINE, other), file + ": the commands quoted");
                assertEquals(en.contains("%STEPS%"), other.contains("%STEPS%"), file + ": %STEPS%");
            }
        }
    }

    private static List<String> words(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group());
        return found;
    }

    private static void assertParity(String englishWhere, Set<String> english, String catalogWhere, Map<String, String> catalog) {
        Set<String> untranslated = new TreeSet<>(english);
        untranslated.removeAll(catalog.keySet());
        Set<String> stale = new TreeSet<>(catalog.keySet());
        stale.removeAll(english);
        assertEquals(Set.of(), untranslated, "in " + englishWhere + " but not translated in " + catalogWhere);
        assertEquals(Set.of(), stale, "in " + catalogWhere + " but no longer in " + englishWhere);
        for (Map.Entry<String, String> e : catalog.entrySet()) {
            assertEquals(placeholders(e.getKey()), placeholders(e.getValue()), catalogWhere + ": the arguments of " + e.getKey());
        }
    }

    private static Map<String, String> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(HOME.resolve(file))) {
            return Po.read(in);
        }
    }

    private static Set<String> placeholders(String s) {
        Matcher m = PLACEHOLDER.matcher(s);
        Set<String> found = new TreeSet<>();
        while (m.find()) found.add(m.group());
        return found;
    }

    private static Set<String> lessons(String lang) throws IOException {
        try (Stream<Path> files = Files.list(HOME.resolve("lessons/" + lang))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".md")).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static List<String> codeBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : markdown.split("\n", -1)) {
            if (line.strip().startsWith("```")) {
                if (block == null) {
                    block = new StringBuilder(line).append('\n');
                } else {
                    blocks.add(block.toString());
                    block = null;
                }
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static List<String> links(String markdown) {
        Matcher m = LINK.matcher(markdown);
        List<String> found = new ArrayList<>();
        while (m.find()) found.add(m.group(1));
        return found;
    }
}
