package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import java.util.ArrayList;
import java.util.List;
import jocker.JockerException;

/** A command line split into words as a shell would: blanks separate, '...' and "..." quote, \ escapes. */
final class Words {
    private Words() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < line.length()) word.append(line.charAt(++i));
                else word.append(c);
            } else if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
            } else {
                if (word == null) word = new StringBuilder();
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < line.length()) word.append(line.charAt(++i));
                else word.append(c);
            }
        }
        if (quote != 0) throw new JockerException(tr("unclosed {0} in the line.", quote));
        if (word != null) words.add(word.toString());
        return words;
    }
}
