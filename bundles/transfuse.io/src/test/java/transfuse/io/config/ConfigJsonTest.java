package transfuse.io.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;

class ConfigJsonTest {
    /** Python's json.dumps(config, indent=2) of an HF-style config, fields deliberately unsorted,
     *  with unknown fields, nested objects, empty containers, null, booleans and floats. */
    private static final String PYTHON_DUMPS = """
            {
              "_name_or_path": "google/vit-base",
              "architectures": [
                "ViTForImageClassification"
              ],
              "attention_probs_dropout_prob": 0.0,
              "hidden_act": "gelu",
              "model_type": "vit",
              "hidden_size": 64,
              "id2label": {
                "0": "T-shirt/top",
                "1": "Trouser"
              },
              "label2id": {},
              "custom_list": [],
              "image_size": 28,
              "layer_norm_eps": 0.5,
              "qkv_bias": true,
              "torch_dtype": null,
              "zeta_unknown": {
                "nested": [
                  1,
                  2.5,
                  "x",
                  false
                ]
              },
              "num_hidden_layers": 2,
              "num_attention_heads": 4,
              "intermediate_size": 128
            }
            """;

    @TempDir
    Path dir;

    /** A config read and written again is byte-identical to what Python's HF tooling writes:
     *  unknown fields kept, field order kept, same layout. */
    @Test
    void roundTripKeepsFieldsOrderAndLayout() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, PYTHON_DUMPS);
        ModelConfig config = ConfigJson.read(file);
        assertEquals("vit", config.modelType());
        assertEquals(64, config.getInt("hidden_size"));
        assertEquals(List.of("_name_or_path", "architectures", "attention_probs_dropout_prob", "hidden_act",
                "model_type", "hidden_size", "id2label", "label2id", "custom_list", "image_size", "layer_norm_eps",
                "qkv_bias", "torch_dtype", "zeta_unknown", "num_hidden_layers", "num_attention_heads",
                "intermediate_size"), new ArrayList<>(config.fields().keySet()));
        assertEquals(Map.of("nested", List.of(1, 2.5, "x", false)), config.fields().get("zeta_unknown"));

        Path copy = dir.resolve("copy.json");
        ConfigJson.write(copy, config);
        assertEquals(PYTHON_DUMPS, Files.readString(copy, StandardCharsets.UTF_8));
    }

    /** Values that Java prints differently from Python (1e-12 as 1.0E-12, NaN) keep their value
     *  through a write and a read, and edited fields keep their position. */
    @Test
    void valuesSurviveWriteAndRead() {
        ModelConfig config = ConfigJson.parse("{\"layer_norm_eps\": 1e-12, \"big\": 12345678901234, \"nan\": NaN, \"a\": 1}"
                .getBytes(StandardCharsets.UTF_8), "spec");
        ModelConfig edited = config.with("big", 7).with("z", "new");
        ModelConfig back = ConfigJson.parse(ConfigJson.format(edited), "again");
        assertEquals(1e-12, back.getDouble("layer_norm_eps"));
        assertEquals(7, back.getInt("big"));
        assertTrue(Double.isNaN(back.getDouble("nan")));
        assertEquals(List.of("layer_norm_eps", "big", "nan", "a", "z"), new ArrayList<>(back.fields().keySet()));
        assertEquals(12345678901234L, ((Number) config.fields().get("big")).longValue());
    }

    /** Bad JSON is reported in one line naming the file, the problem and where it is (the ']'
     *  is the 8th character of line 3). */
    @Test
    void badJsonIsReportedInOneLine() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\n  \"hidden_size\": 64,\n  \"x\": ]\n}\n");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ConfigJson.read(file));
        assertOneLine(e.getMessage(), file + " is not valid JSON: ");
        assertTrue(e.getMessage().contains("(line 3, column 8)"), e.getMessage());
    }

    @Test
    void nonObjectIsReported() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "[1, 2]");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ConfigJson.read(file));
        assertEquals(file + ": expected a JSON object, found an array", e.getMessage());
    }

    /** A repeated field would silently lose one value, so it is an error. */
    @Test
    void duplicateFieldIsReported() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hidden_size\": 64, \"hidden_size\": 32}");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ConfigJson.read(file));
        assertOneLine(e.getMessage(), "Duplicate field 'hidden_size'");
    }

    @Test
    void trailingContentIsReported() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"a\": 1} {\"b\": 2}");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ConfigJson.read(file));
        assertOneLine(e.getMessage(), file + " is not valid JSON: ");
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("config.json");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ConfigJson.read(file));
        assertEquals(file + ": no such file or directory", e.getMessage());
    }

    private static void assertOneLine(String message, String expected) {
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
    }
}
