package transfuse.io.internal;

/** Builds the one-line error messages that front ends print as they are. */
public final class Messages {
    private static final int MAX_SHOWN = 80;

    private Messages() {
    }

    /** A name in single quotes, with control characters escaped so the message stays one line. */
    public static String quote(String name) {
        StringBuilder b = new StringBuilder(name.length() + 2).append('\'');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** A JSON value as compact JSON, shortened to a readable length. */
    public static String show(Object jsonValue) {
        String text = Json.compactString(jsonValue);
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }

    /** Collapses line breaks and runs of white space, for messages taken from other libraries. */
    public static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s+", " ");
    }
}
