package jocker.cli;

import static jocker.i18n.Messages.tr;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jocker.JockerException;

/** Sizes as docker takes them: plain bytes, or a number with b, k, m or g (any case). */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([bkmg]?)b?", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    public static long parse(String flag, String value) {
        Matcher m = SIZE.matcher(value.trim());
        if (!m.matches()) {
            throw new JockerException(tr("invalid size '{0}' for {1}: use bytes or a number with k, m or g,"
                    + " e.g. 64m.", value, flag));
        }
        long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1;
        };
        double bytes = Double.parseDouble(m.group(1)) * unit;
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new JockerException(tr("invalid size '{0}' for {1}: out of range.", value, flag));
        }
        return (long) bytes;
    }
}
