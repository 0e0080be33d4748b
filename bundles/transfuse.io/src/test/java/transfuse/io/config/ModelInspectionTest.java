package transfuse.io.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.io.safetensors.SafetensorsReader;
import transfuse.io.safetensors.TensorSource;

class ModelInspectionTest {
    @TempDir
    Path root;
    Path model;

    /** A tiny ViT-like model dir: two float tensors (3*4 + 4 = 16 parameters) and an integer buffer. */
    @BeforeEach
    void writeModel() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("model_type", "vit");
        fields.put("hidden_size", 4);
        fields.put("num_hidden_layers", 1);
        fields.put("num_attention_heads", 2);
        fields.put("intermediate_size", 8);
        fields.put("custom", List.of("kept"));
        // A record of how the model was made (a learngene's, a fusion's) is shown by inspect.
        fields.put("transfuse_origin", Map.of("method", "test"));
        model = root.resolve("vitA");
        ModelDir.write(model, new ModelConfig(fields, "spec"), List.of(
                TensorSource.of("vit.embeddings.weight", Tensor.ofFloats(new long[] {3, 4}, new float[12])),
                TensorSource.of("vit.embeddings.bias", Tensor.ofDoubles(new long[] {4}, new double[4])),
                TensorSource.of("vit.embeddings.position_ids", Tensor.ofLongs(new long[] {1, 5}, new long[] {0, 1, 2, 3, 4}))),
                Map.of());
    }

    /** ModelDir.write produces a directory that ModelDir.open reads back: config fields, tensors in
     *  aligned order (8-byte types first), the "format": "pt" metadata transformers requires, and
     *  no tokenizer. */
    @Test
    void writtenModelDirOpens() {
        assertTrue(ModelDir.isModelDir(model));
        try (ModelDir dir = ModelDir.open(model)) {
            assertEquals(List.of("kept"), dir.config().fields().get("custom"));
            assertEquals(List.of("vit.embeddings.bias", "vit.embeddings.position_ids", "vit.embeddings.weight"),
                    dir.tensors().stream().map(e -> e.name()).toList());
            assertEquals(Map.of("format", "pt"), dir.weights().metadata());
            assertEquals(Optional.empty(), dir.tokenizer());
            assertEquals(new ModelSummary("vit", 4, 1, 2, 8, 3, 16, 48 + 32 + 40,
                    Map.of("transfuse_origin", Map.of("method", "test"))), dir.summary());
        }
    }

    /** The text report of a model directory, exactly: heading, config, metadata, aligned table, totals. */
    @Test
    void textReportOfAModelDir() {
        String expected = model + " (model directory)\n"
                + "config: model_type=vit hidden_size=4 num_hidden_layers=1 num_attention_heads=2 intermediate_size=8\n"
                + "transfuse_origin: {\"method\":\"test\"}\n"
                + "metadata: format=pt\n"
                + "name                         dtype  shape  bytes\n"
                + "vit.embeddings.bias          F64    [4]       32\n"
                + "vit.embeddings.position_ids  I64    [1,5]     40\n"
                + "vit.embeddings.weight        F32    [3,4]     48\n"
                + "total: 3 tensors, 16 parameters, 120 bytes\n";
        assertEquals(expected, ModelInspection.inspect(model).toText());
    }

    /** A record's text line keeps scalars and scalar lists, and counts what is nested deeper. */
    @Test
    void aRecordsTextLineCountsNestedParts() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("method", "ot");
        record.put("stages", List.of(3, 3, 2));
        record.put("maps", List.of(Map.of("space", "a"), Map.of("space", "b")));
        record.put("options", Map.of("reg", 0.08));
        assertEquals(Map.of("method", "ot", "stages", List.of(3, 3, 2), "maps", "2 items", "options", "1 item"),
                ModelInspection.headline(record));
        assertEquals("plain", ModelInspection.headline("plain"), "a record that is not an object stays as it is");
    }

    /** The JSON report of a model directory, serialised: the fields the CLI prints with --json. */
    @Test
    void jsonReportOfAModelDir() throws IOException {
        String json = new ObjectMapper().writeValueAsString(ModelInspection.inspect(model).toJson());
        assertEquals("{\"path\":" + new ObjectMapper().writeValueAsString(model.toString()) + ",\"kind\":\"model_dir\","
                + "\"config\":{\"model_type\":\"vit\",\"hidden_size\":4,\"num_hidden_layers\":1,\"num_attention_heads\":2,"
                + "\"intermediate_size\":8},\"records\":{\"transfuse_origin\":{\"method\":\"test\"}},\"metadata\":{\"format\":\"pt\"},\"tensors\":["
                + "{\"name\":\"vit.embeddings.bias\",\"dtype\":\"F64\",\"shape\":[4],\"bytes\":32},"
                + "{\"name\":\"vit.embeddings.position_ids\",\"dtype\":\"I64\",\"shape\":[1,5],\"bytes\":40},"
                + "{\"name\":\"vit.embeddings.weight\",\"dtype\":\"F32\",\"shape\":[3,4],\"bytes\":48}],"
                + "\"tensor_count\":3,\"parameters\":16,\"total_bytes\":120}", json);
    }

    /** A bare .safetensors file is inspected without a config (config null in JSON, no config line). */
    @Test
    void safetensorsFileWithoutConfig() {
        Path file = model.resolve(ModelDir.WEIGHTS);
        ModelInspection inspection = ModelInspection.inspect(file);
        assertEquals(ModelInspection.Kind.SAFETENSORS, inspection.kind());
        assertEquals(null, inspection.toJson().get("config"));
        assertEquals(new ModelSummary(null, null, null, null, null, 3, 16, 120, Map.of()), inspection.summary());
        assertTrue(inspection.toText().startsWith(file + " (safetensors file)\nmetadata: format=pt\nname"),
                inspection.toText());
    }

    /** A tokenizer.json beside the weights is found. */
    @Test
    void tokenizerIsFound() throws IOException {
        Files.writeString(model.resolve(ModelDir.TOKENIZER), "{}");
        try (ModelDir dir = ModelDir.open(model)) {
            assertEquals(Optional.of(model.resolve(ModelDir.TOKENIZER)), dir.tokenizer());
        }
    }

    /** Paths that are not models are reported in one line naming the path and what is missing. */
    @Test
    void notAModelIsReported() throws IOException {
        Files.delete(model.resolve(ModelDir.WEIGHTS));
        assertEquals(model + ": not a model directory (no model.safetensors)",
                assertThrows(TransfuseException.class, () -> ModelInspection.inspect(model)).getMessage());
        Path empty = Files.createDirectory(root.resolve("empty"));
        assertEquals(empty + ": not a model directory (no config.json)",
                assertThrows(TransfuseException.class, () -> ModelInspection.inspect(empty)).getMessage());
        Path absent = root.resolve("absent");
        assertEquals(absent + ": no such file or directory",
                assertThrows(TransfuseException.class, () -> ModelInspection.inspect(absent)).getMessage());
    }

    /** A config field of the wrong type fails the summary with the config file and field named. */
    @Test
    void illTypedConfigFieldIsReported() throws IOException {
        Files.writeString(model.resolve(ModelDir.CONFIG), "{\"model_type\": \"vit\", \"hidden_size\": \"big\"}");
        TransfuseException e = assertThrows(TransfuseException.class, () -> ModelInspection.inspect(model));
        assertEquals(model.resolve(ModelDir.CONFIG) + ": field 'hidden_size' must be an integer, found big", e.getMessage());
    }

    /** Reading the directory's weights gives the tensors written. */
    @Test
    void weightsReadBack() {
        try (SafetensorsReader r = SafetensorsReader.open(model.resolve(ModelDir.WEIGHTS))) {
            assertArrayEquals(new long[] {0, 1, 2, 3, 4}, r.tensor("vit.embeddings.position_ids").toLongs());
        }
    }
}
