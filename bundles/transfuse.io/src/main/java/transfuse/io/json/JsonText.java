package transfuse.io.json;

import java.nio.charset.StandardCharsets;

import transfuse.io.internal.Json;

/**
 * JSON as plain Java trees (insertion-ordered maps, lists, strings, numbers, booleans, null): the
 * one writer behind {@code --json} lines, result files and the server's answers, so the same result
 * reads the same everywhere.
 */
public final class JsonText {
    private JsonText() {
    }

    /** One line, no spaces: the {@code --json} last line, an event's data. */
    public static String line(Object tree) {
        return Json.compactString(tree);
    }

    /** Indented as Python's {@code json.dumps(indent=2)}, ending with a newline: result files. */
    public static byte[] pretty(Object tree) {
        return Json.pretty(tree);
    }

    /**
     * @param source names the text in messages (a file, "request body")
     * @throws transfuse.api.TransfuseException one line starting with {@code source}
     */
    public static Object parse(byte[] utf8, String source) {
        return Json.parse(utf8, source);
    }

    public static Object parse(String text, String source) {
        return parse(text.getBytes(StandardCharsets.UTF_8), source);
    }

    /** "an object", "an array", ... for messages about a parsed value. */
    public static String typeName(Object value) {
        return Json.typeName(value);
    }
}
