package transfuse.fusion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.arch.bert.BertArchitecture;

/**
 * Tiny BERTs over the bundled {@code kjv-wordpiece} vocabulary (real text needs the real
 * tokenizer, so the vocabulary is the full 10,085 tokens; the body is small: d 32, 4 heads of 8,
 * 2 layers, MLP 64, 64 positions). The config comes from the architecture's own recipe for the
 * data set (masked LM with a tied decoder for {@code kjv}, sentence classifier with pooler for
 * {@code sentiment}), only shrunk.
 */
final class TestBerts {
    static final int HIDDEN = 32;
    static final int HEADS = 4;
    static final int LAYERS = 2;
    static final int MLP = 64;
    static final int POSITIONS = 64;

    private TestBerts() {
    }

    static BertArchitecture bert() {
        return BertTestServices.get().bert();
    }

    static ModelConfig config(String data) {
        Dataset d = BertTestServices.get().dataset(data, Split.TRAIN);
        return bert().defaultConfig(d).with("hidden_size", HIDDEN).with("num_attention_heads", HEADS)
                .with("num_hidden_layers", LAYERS).with("intermediate_size", MLP)
                .with("max_position_embeddings", POSITIONS);
    }

    /** Initial weights perturbed everywhere: zero biases and unit LayerNorms would hide axis mistakes. */
    static Map<String, Tensor> weights(ModelConfig config, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        bert().initialize(config, seed).forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (r.nextGaussian() * 0.2);
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }

    /**
     * The model's outputs on the first {@code samples} texts of the test split (not the texts the
     * alignment saw), with token types 1 on the second half of every text so the token-type
     * embedding's second row takes part: {@code hidden} [N, T, d] and {@code logits}.
     */
    static ForwardResult outputs(Path dir, String data, int samples) {
        ModelConfig c = TestModels.configOf(dir);
        Dataset d = BertTestServices.get().dataset(data, Split.TEST);
        Map<String, Tensor> inputs = new LinkedHashMap<>(bert().inputs(c, d, 0, samples));
        Tensor ids = inputs.get("input_ids");
        long n = ids.shape()[0], t = ids.shape()[1];
        long[] types = new long[(int) (n * t)];
        for (int i = 0; i < types.length; i++) {
            types[i] = (i % t) >= t / 2 ? 1 : 0;
        }
        inputs.put("token_type_ids", Tensor.ofLongs(ids.shape(), types));
        return bert().forward(c, FusionEngine.load(dir), new ForwardRequest(inputs, true, true,
                java.util.Set.of(), TokenWindow.ALL, 16));
    }
}
