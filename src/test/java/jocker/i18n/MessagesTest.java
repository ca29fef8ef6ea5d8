package jocker.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MessagesTest {
    @AfterEach
    void backToEnglish() {
        Messages.use(Messages.ENGLISH);
    }

    @Test
    void localeNamesToLanguages() {
        assertEquals("zh-CN", Messages.fromLocale("zh_CN.UTF-8"));
        assertEquals("zh-CN", Messages.fromLocale("zh_CN.utf8@pinyin"));
        assertEquals("zh-CN", Messages.fromLocale("zh-CN"));
        assertEquals("zh-CN", Messages.fromLocale("zh"));
        assertEquals("zh-CN", Messages.fromLocale("zh_SG.GB2312"));
        assertEquals("en", Messages.fromLocale("zh_TW.UTF-8")); // Traditional: no translation, English
        assertEquals("en", Messages.fromLocale("C"));
        assertEquals("en", Messages.fromLocale("POSIX"));
        assertEquals("en", Messages.fromLocale("C.UTF-8"));
        assertEquals("en", Messages.fromLocale("de_DE.UTF-8"));
    }

    @Test
    void lcAllOutranksLcMessagesOutranksLangAndJockerLangOutranksThemAll() {
        assertEquals("en", Messages.fromEnvironment(Map.of()));
        assertEquals("zh-CN", Messages.fromEnvironment(Map.of("LANG", "zh_CN.UTF-8")));
        assertEquals("en", Messages.fromEnvironment(Map.of("LANG", "zh_CN.UTF-8", "LC_MESSAGES", "C")));
        assertEquals("zh-CN", Messages.fromEnvironment(Map.of("LANG", "C", "LC_MESSAGES", "C", "LC_ALL", "zh_CN.UTF-8")));
        assertEquals("en", Messages.fromEnvironment(Map.of("LC_ALL", "zh_CN.UTF-8", "JOCKER_LANG", "en")));
        assertEquals("zh-CN", Messages.fromEnvironment(Map.of("LANG", "zh_CN.UTF-8", "LC_ALL", "")));
    }

    @Test
    void whatUsersTypeForLang() {
        assertEquals("zh-CN", Messages.parse("zh_CN"));
        assertEquals("en", Messages.parse("en"));
        assertEquals("en", Messages.parse("en_US.UTF-8"));
        assertNull(Messages.parse("klingon"));
    }

    @Test
    void argumentsFillTheirPlaceholdersOnceWhateverTheyContain() {
        assertEquals("flag -x needs {1}", Messages.format("flag {0} needs {1}", "-x"));
        assertEquals("a {1} b", Messages.format("{0} b", "a {1}"));
        assertEquals("'it''s' {x}", Messages.format("'it''s' {x}", 1));
    }

    @Test
    void chineseWhenAskedAndEnglishWithOneNoticeWhenATranslationIsMissing() {
        Messages.use("zh-CN");
        assertEquals("未知选项：--bogus。请参阅 'jocker run --help'。", Messages.tr("unknown flag: {0}. See 'jocker run --help'.", "--bogus"));
        assertNull(Messages.pendingNotice());
        assertEquals("no such sentence 1", Messages.tr("no such sentence {0}", 1));
        assertEquals("（部分内容尚未翻译，以英文显示。）", Messages.pendingNotice());
        Messages.tr("no such sentence {0}", 2);
        assertNull(Messages.pendingNotice(), "said once");
        Messages.use("en");
        assertEquals("unknown flag: -q. See 'jocker run --help'.", Messages.tr("unknown flag: {0}. See 'jocker run --help'.", "-q"));
    }

    @Test
    void poFilesReadAsUtf8WithContinuationsAndEscapes() throws Exception {
        String po = "# comment\nmsgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n\n"
                + "msgid \"a \\\"b\\\"\\n\"\n\"c\"\nmsgstr \"甲\"\n\"乙\"\n\nmsgid \"untranslated\"\nmsgstr \"\"\n";
        Map<String, String> read = Po.read(new ByteArrayInputStream(po.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("a \"b\"\nc", "甲乙"), read);
        assertEquals("\"a \\\"b\\\"\\nc\"", Po.quote("a \"b\"\nc"));
        String catalog = "msgid \"x {0}\"\nmsgstr \"甲 {0}\"\n\"乙\"\n\nmsgid \"say \\\"hi\\\"\"\nmsgstr \"说\\n好\"\nmsgid \"none\"\nmsgstr \"\"\n";
        assertEquals("甲 {0}乙", Po.find(catalog, "x {0}"));
        assertEquals("说\n好", Po.find(catalog, "say \"hi\""));
        assertNull(Po.find(catalog, "none"), "empty: not translated");
        assertNull(Po.find(catalog, "x"), "a prefix of a msgid is not a msgid");
    }
}
