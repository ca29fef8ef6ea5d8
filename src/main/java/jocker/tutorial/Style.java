package jocker.tutorial;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Colours, or none: off when not interactive, under NO_COLOR
 * (https://no-color.org) and on a dumb terminal. Also renders the lesson
 * Markdown and highlights Java for the terminal.
 */
public final class Style {
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\((?:\\.\\./\\.\\./)?([^)]+)\\)");
    private static final Pattern JAVA = Pattern.compile(
            "(?<comment>//[^\\n]*|/\\*(?s:.*?)\\*/)|(?<string>\"(?:\\\\.|[^\"\\\\])*\")|(?<keyword>\\b(?:public|private|protected"
                    + "|static|final|class|interface|record|enum|implements|extends|return|if|else|for|while|new|throw|throws"
                    + "|try|catch|finally|void|long|int|boolean|default|import|package|switch|case|break|continue)\\b)");

    private final boolean colour;

    public Style(boolean colour) {
        this.colour = colour;
    }

    public static boolean colourWanted(boolean interactive, String terminalType, Map<String, String> env) {
        return interactive && !env.containsKey("NO_COLOR") && terminalType != null && !terminalType.startsWith("dumb");
    }

    public boolean colour() {
        return colour;
    }

    public String bold(String s) {
        return sgr("1", s);
    }

    public String dim(String s) {
        return sgr("2", s);
    }

    public String green(String s) {
        return sgr("32", s);
    }

    public String red(String s) {
        return sgr("31", s);
    }

    public String yellow(String s) {
        return sgr("33", s);
    }

    public String cyan(String s) {
        return sgr("36", s);
    }

    private String sgr(String code, String s) {
        return colour ? "\033[" + code + "m" + s + "\033[0m" : s;
    }

    /** Lesson Markdown for a terminal: links show their target relative to the checkout; with colour, headings bold and code cyan. */
    public String markdown(String text) {
        StringBuilder out = new StringBuilder();
        boolean code = false;
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("```")) {
                code = !code;
                out.append(colour ? "" : line + "\n");
                continue;
            }
            if (code) {
                out.append(colour ? "    " + cyan(line) : line).append('\n');
            } else if (line.startsWith("#")) {
                out.append(bold(line)).append('\n');
            } else {
                out.append(LINK.matcher(line).replaceAll("$1 ($2)")).append('\n');
            }
        }
        return out.toString().stripTrailing() + "\n";
    }

    /** Java source with comments dim, strings yellow, keywords bold (colour only). */
    public String java(String source) {
        if (!colour) return source;
        Matcher m = JAVA.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String token = m.group();
            String styled = m.group("comment") != null ? green(token) : m.group("string") != null ? yellow(token) : bold(token);
            m.appendReplacement(out, Matcher.quoteReplacement(styled));
        }
        m.appendTail(out);
        return out.toString();
    }
}
