package jocker.i18n;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every sentence jocker prints, in the reader's language (lessons: see
 * lessons/zh-CN/). gettext's way: the English sentence in the code is the key,
 * so a reader of src/main/java still reads what the user will see:
 *
 * <pre>throw new JockerException(tr("flag {0} needs a value. See 'jocker run --help'.", flag));</pre>
 *
 * {@code {0}}, {@code {1}} ... are the arguments (not java.text.MessageFormat,
 * which would eat the apostrophes our sentences are full of). A translation is
 * an entry of src/main/resources/jocker/i18n/LANG.po; English needs none.
 * A sentence a catalog lacks comes out in English, and {@link #pendingNotice}
 * says so, once. The catalog is read on the first sentence actually printed in
 * another language: `jocker run` in English never opens it.
 */
public final class Messages {
    public static final String ENGLISH = "en";
    /** The languages jocker speaks; a new one is a LANG.po here and a lessons/LANG/ directory. */
    public static final List<String> LANGUAGES = List.of(ENGLISH, "zh-CN");

    private static final Map<String, String> CATALOGS = new HashMap<>();
    private static volatile String language; // null until first needed: then from the environment
    private static volatile boolean fellBack;
    private static volatile boolean noticeShown;

    private Messages() {}

    /** The sentence in the current language, with {0}, {1} ... replaced by {@code args}. */
    public static String tr(String english, Object... args) {
        return format(translate(english), args);
    }

    /** A sentence {@link #mark}ed earlier, in the current language now. */
    public static String translated(String marked) {
        return translate(marked);
    }

    /**
     * Marks a sentence for translation without translating it yet (gettext's N_):
     * for tables built once and shown later, in whatever language is current then.
     */
    public static String mark(String english) {
        return english;
    }

    private static String translate(String english) {
        String lang = language();
        if (lang.equals(ENGLISH)) return english;
        String translated = Po.find(catalog(lang), english);
        if (translated != null) return translated;
        fellBack = true;
        return english;
    }

    /** Looks {@code english} up in another catalog (the course's, say), noting a fallback the same way. */
    public static String lookUp(Map<String, String> catalog, String english) {
        if (language().equals(ENGLISH)) return english;
        String translated = catalog.get(english);
        if (translated != null) return translated;
        fellBack = true;
        return english;
    }

    /** Something (a lesson, say) was shown in English for want of a translation. */
    public static void noteFallback() {
        if (!language().equals(ENGLISH)) fellBack = true;
    }

    /** The one-time "not translated yet" notice, in the current language, if English stood in since; else null. */
    public static String pendingNotice() {
        if (!fellBack || noticeShown) return null;
        noticeShown = true;
        return tr("(Some of this text is not translated yet and is shown in English.)");
    }

    static String format(String pattern, Object... args) {
        if (args.length == 0) return pattern;
        StringBuilder out = new StringBuilder(pattern.length() + 32);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            int close = c == '{' ? pattern.indexOf('}', i) : -1;
            if (close > i + 1 && close <= i + 3 && digits(pattern, i + 1, close)) {
                int n = Integer.parseInt(pattern.substring(i + 1, close));
                out.append(n < args.length ? String.valueOf(args[n]) : pattern.substring(i, close + 1));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    /** The current language: set by {@link #use}, else from JOCKER_LANG, LC_ALL, LC_MESSAGES, LANG. */
    public static String language() {
        String lang = language;
        if (lang == null) {
            lang = fromEnvironment(System.getenv());
            language = lang;
        }
        return lang;
    }

    /** Chooses the language (one of {@link #LANGUAGES}); null goes back to the environment's. */
    public static void use(String lang) {
        if (lang != null && !LANGUAGES.contains(lang)) throw new IllegalArgumentException(lang);
        language = lang;
        fellBack = false;
        noticeShown = false;
    }

    /**
     * The language the environment asks for. JOCKER_LANG (the tutorial hands its
     * choice to the runs it starts) first, then POSIX's order: LC_ALL overrides
     * LC_MESSAGES, which overrides LANG; the first one set decides.
     */
    public static String fromEnvironment(Map<String, String> env) {
        for (String name : List.of("JOCKER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) return fromLocale(value);
        }
        return ENGLISH;
    }

    /**
     * A locale name to one of our languages: zh_CN.UTF-8, zh_SG, zh-CN, zh to zh-CN
     * (Simplified Chinese); zh_TW and zh_HK (Traditional) to English, as C, POSIX
     * and anything else we have no translation for.
     */
    public static String fromLocale(String locale) {
        String name = locale.strip();
        int cut = indexOfAny(name, ".@");
        if (cut >= 0) name = name.substring(0, cut);
        name = name.replace('_', '-').toLowerCase(Locale.ROOT);
        for (String lang : LANGUAGES) if (lang.toLowerCase(Locale.ROOT).equals(name)) return lang;
        if (name.equals("zh") || name.equals("zh-sg") || name.equals("zh-hans") || name.startsWith("zh-hans-")) return "zh-CN";
        return ENGLISH;
    }

    /** One of {@link #LANGUAGES} for what a user typed (zh-CN, zh_CN, zh, en ...), or null. */
    public static String parse(String typed) {
        String lang = fromLocale(typed);
        return lang.equals(ENGLISH) && !typed.strip().toLowerCase(Locale.ROOT).startsWith("en") ? null : lang;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) if (chars.indexOf(s.charAt(i)) >= 0) return i;
        return -1;
    }

    /**
     * The text of LANG.po, read once, on first use, and searched for each sentence
     * ({@link Po#find}). Plain code on purpose (no lambda, stream or string +): the
     * first use of each costs a cold JVM milliseconds, and this runs while `jocker
     * run` reports an error.
     */
    public static synchronized String catalog(String lang) {
        String catalog = CATALOGS.get(lang);
        if (catalog == null) {
            catalog = load(lang);
            CATALOGS.put(lang, catalog);
        }
        return catalog;
    }

    private static String load(String lang) {
        try (InputStream in = Messages.class.getResourceAsStream(lang.concat(".po"))) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException | LinkageError e) {
            // A catalog out of reach (after pivot_root the jar may be gone) must not hide the error being
            // reported: English it is.
            return "";
        }
    }
}
