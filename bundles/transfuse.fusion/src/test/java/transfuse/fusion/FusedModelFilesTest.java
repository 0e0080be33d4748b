package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * A fused text model must be usable as it is: imported BERTs name no bundled vocabulary, so their
 * tokenizer lives only in the model directory's {@code tokenizer.json}, and the fused directory
 * has to carry the anchor's (bge-small and e5-small fused were unreadable before).
 */
class FusedModelFilesTest {
    @TempDir
    Path tmp;

    @Test
    void fusedBertCarriesTheAnchorsTokenizerAndReadsText() throws IOException {
        ModelConfig withVocab = TestBerts.config("sentiment");
        byte[] tokenizer = TestBerts.bert().modelFiles(withVocab).get("tokenizer.json");
        Map<String, Object> fields = new LinkedHashMap<>(withVocab.fields());
        fields.remove("transfuse_vocabulary"); // as after an ONNX import: only the file names the vocabulary
        ModelConfig imported = new ModelConfig(fields, "imported");
        Path a = TestModels.write(tmp.resolve("a"), imported, TestBerts.weights(imported, 1));
        Path b = TestModels.write(tmp.resolve("b"), imported, TestBerts.weights(imported, 2));
        Files.write(a.resolve("tokenizer.json"), tokenizer);
        Files.write(b.resolve("tokenizer.json"), tokenizer);
        Path out = tmp.resolve("fused");
        List<Path> models = List.of(a, b);
        FusionOptions vanilla = TestModels.options(new LinkedHashMap<>(Map.of("method", "vanilla")), 2);
        new FusionEngine(BertTestServices.get()).fuse(models, vanilla, out, ProgressListener.NONE);

        assertArrayEquals(tokenizer, Files.readAllBytes(out.resolve("tokenizer.json")));
        ModelConfig fused = TestModels.configOf(out);
        assertFalse(fused.has("transfuse_vocabulary"));
        Map<String, Tensor> in = TestBerts.bert().inputs(fused,
                BertTestServices.get().dataset("sentiment", Split.TEST), 0, 3);
        assertEquals(3, in.get("input_ids").shape()[0]);
        // A second fusion replaces the first: tokenizer.json counts as one of a model's own files.
        new FusionEngine(BertTestServices.get()).fuse(models, vanilla, out, ProgressListener.NONE);
        assertArrayEquals(tokenizer, Files.readAllBytes(out.resolve("tokenizer.json")));
    }
}
