package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ImportedModel;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.SafetensorsReader;
import transfuse.io.safetensors.TensorSource;

/**
 * The imported pretrained encoders compute what the original ONNX graphs compute: on the first 20
 * sentences of the sentiment training split, tokenized by the model's own tokenizer.json through
 * DJL and padded to the longest, the last hidden state of the imported model directory (written
 * and read back) differs from ONNX Runtime's by at most 1e-4 at every token of every sentence
 * (float32 through 6-12 layers of different kernels: a few 1e-6 seen). Padding positions, which
 * no head reads, are held to 1e-3. All three models together take about 15-45 s.
 */
class OnnxImportEquivalenceTest {
    private static final int SENTENCES = 20;
    private static final double TOLERANCE = 1e-4;
    /** At [PAD] positions float differences grow larger (1.3e-4 seen for bge); a mask error would give O(1). */
    private static final double PADDING_TOLERANCE = 1e-3;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "bge-small-en-v1.5, 12",
            "all-minilm-l6-v2, 6",
            "e5-small-v2, 12",
    })
    void importedEncoderMatchesOnnxRuntime(String model, int layers) throws Exception {
        Path onnx = resource(model + ".onnx");
        Path tokenizer = resource(model + "-tokenizer.json");
        BertArchitecture bert = Berts.bert();
        ImportedModel imported = bert.importOnnx(onnx, tokenizer, (t, d, tot, m) -> { });
        assertEquals(layers, imported.config().getInt("num_hidden_layers"));
        assertEquals(12, imported.config().getInt("num_attention_heads"));
        assertEquals(384, imported.config().getInt("hidden_size"));
        assertArrayEquals(Files.readAllBytes(tokenizer), imported.files().get("tokenizer.json"));

        Path dir = tmp.resolve(model);
        ModelDir.write(dir, imported.config(), imported.weights().entrySet().stream()
                .map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(), Map.of());
        Files.write(dir.resolve("tokenizer.json"), imported.files().get("tokenizer.json"));
        ModelConfig config;
        Map<String, Tensor> weights = new java.util.LinkedHashMap<>();
        try (ModelDir md = ModelDir.open(dir)) {
            config = md.config();
            SafetensorsReader r = md.weights();
            r.entries().forEach(e -> weights.put(e.name(), Tensor.ofFloats(r.tensor(e.name()).shape(),
                    r.tensor(e.name()).toFloats())));
        }
        Dataset sentences = new DatasetCatalog().open("sentiment", Split.TRAIN);
        Map<String, Tensor> inputs = bert.inputs(config, sentences, 0, SENTENCES);
        Tensor ids = inputs.get("input_ids");
        Tensor mask = inputs.get("attention_mask");
        assertTrue(ids.shape()[1] > 8, "sentences of real length");

        float[] ours = bert.forward(config, weights, new ForwardRequest(inputs, false, true, Set.of(),
                TokenWindow.ALL, 8)).hidden().toFloats();
        float[] reference = onnxRuntime(onnx, ids, mask);
        assertEquals(reference.length, ours.length);
        // Positions of padding carry no text; their outputs feed no head and are compared separately.
        long[] m = mask.toLongs();
        int d = (int) (ours.length / m.length);
        double real = 0, padded = 0;
        for (int i = 0; i < ours.length; i++) {
            double e = Math.abs(ours[i] - reference[i]);
            if (m[i / d] == 1) {
                real = Math.max(real, e);
            } else {
                padded = Math.max(padded, e);
            }
        }
        System.out.printf("ONNX equivalence %s: %d sentences x %d tokens, max |hidden - ORT| = %.3g on tokens,"
                + " %.3g on padding (max |ORT| %.3g)%n", model, SENTENCES, ids.shape()[1], real, padded,
                Berts.maxAbs(reference));
        assertTrue(real <= TOLERANCE, model + ": max abs difference to ONNX Runtime on tokens " + real);
        assertTrue(padded <= PADDING_TOLERANCE, model + ": max abs difference to ONNX Runtime on padding " + padded);
    }

    private static float[] onnxRuntime(Path onnx, Tensor ids, Tensor mask) throws Exception {
        long[] shape = ids.shape();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            try (OrtSession s = env.createSession(onnx.toString(), o);
                 OnnxTensor idsT = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(ids.toLongs()), shape);
                 OnnxTensor maskT = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(mask.toLongs()), shape);
                 OnnxTensor typesT = OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(new long[(int) (shape[0] * shape[1])]), shape);
                 OrtSession.Result r = s.run(Map.of("input_ids", idsT, "attention_mask", maskT, "token_type_ids", typesT))) {
                java.nio.FloatBuffer out = ((OnnxTensor) r.get("last_hidden_state").orElseThrow()).getFloatBuffer();
                float[] v = new float[out.remaining()];
                out.get(v);
                return v;
            }
        }
    }

    /** Copies a file of the langchain4j model jar on the test class path to the temporary directory. */
    private Path resource(String name) throws IOException {
        Path out = tmp.resolve(name);
        if (!Files.exists(out)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException(name + " is not on the test class path (langchain4j model jars)");
                }
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }
}
