package transfuse.io.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.io.internal.AtomicFile;
import transfuse.io.internal.Channels;
import transfuse.io.internal.IoFailures;
import transfuse.io.internal.Json;

/**
 * HF {@code config.json} files. Fields keep their order and unknown fields are kept, so a config
 * read and written again holds the same fields in the same order. Values are plain Java trees:
 * {@code Map} (insertion-ordered), {@code List}, {@code String}, {@code Integer}/{@code Long}/
 * {@code BigInteger}, {@code Double}, {@code Boolean} and {@code null}.
 */
public final class ConfigJson {
    public static final String FILE_NAME = "config.json";
    /** Far above any real config (a 21k-class id2label is about 1 MB); refuses to slurp a wrong file. */
    private static final long MAX_BYTES = 64L << 20;

    private ConfigJson() {
    }

    /** @throws TransfuseException one line naming the file: missing, too large, not UTF-8 JSON, not an object */
    public static ModelConfig read(Path file) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new TransfuseException(file + ": is a directory, expected a config.json file");
            }
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new TransfuseException(file + ": file is " + size + " bytes, too large for a config");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw IoFailures.of(file, e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * @param source names the text in messages and becomes {@link ModelConfig#source()}
     */
    public static ModelConfig parse(byte[] utf8, String source) {
        Object tree = Json.parse(utf8, source);
        if (!(tree instanceof Map<?, ?> map)) {
            throw new TransfuseException(source + ": expected a JSON object, found " + Json.typeName(tree));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        map.forEach((k, v) -> fields.put((String) k, v));
        return new ModelConfig(fields, source);
    }

    /** Pretty JSON as HF writes it (two-space indent, {@code "key": value}, final newline), in field order. */
    public static byte[] format(ModelConfig config) {
        return Json.pretty(config.fields());
    }

    /** Writes {@link #format} to the file, replacing it atomically. */
    public static void write(Path file, ModelConfig config) {
        byte[] bytes = format(config);
        AtomicFile.write(file, out -> Channels.writeFully(out, ByteBuffer.wrap(bytes)));
    }
}
