package transfuse.io.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

import transfuse.api.TransfuseException;

/**
 * JSON as plain Java trees: objects are insertion-ordered {@code LinkedHashMap}s, arrays
 * {@code ArrayList}s, numbers {@code Integer}/{@code Long}/{@code BigInteger} or {@code Double},
 * plus {@code String}, {@code Boolean} and {@code null}. Keeping field order lets a file read and
 * written again stay the same.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A repeated key would silently drop a value (e.g. one of two tensors of the same name).
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // Python's json module writes NaN and Infinity into HF configs; read and write them back.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private static final ObjectWriter COMPACT = MAPPER.writer();

    // The layout of Python's json.dumps(indent=2), which HF uses for config.json.
    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(
            Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("")
                    .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {
    }

    /**
     * Parses UTF-8 JSON text.
     *
     * @param source names the text in error messages, e.g. {@code "config.json"} or
     *               {@code "model.safetensors: header"}
     * @throws TransfuseException (one line, starting with {@code source}) if the bytes are not
     *                            UTF-8 or not one JSON value
     */
    public static Object parse(byte[] utf8, String source) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new TransfuseException(source + " is not valid UTF-8");
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new TransfuseException(source + " is not valid JSON: " + describe(e));
        }
    }

    /** One-line compact JSON (no spaces), the form safetensors headers use. */
    public static byte[] compact(Object tree) {
        try {
            return COMPACT.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    public static String compactString(Object tree) {
        return new String(compact(tree), StandardCharsets.UTF_8);
    }

    /** Indented JSON laid out as Python's {@code json.dumps(indent=2)}, ending with a newline. */
    public static byte[] pretty(Object tree) {
        try {
            String text = PRETTY.writeValueAsString(tree) + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON tree: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON type of a parsed value, for messages such as "found an array". */
    public static String typeName(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return "a number";
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0 ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return Messages.oneLine(e.getOriginalMessage()) + where;
    }
}
