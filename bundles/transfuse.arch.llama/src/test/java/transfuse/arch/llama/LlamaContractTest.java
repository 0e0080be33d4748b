package transfuse.arch.llama;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;
import transfuse.io.config.ConfigJson;

/** Bad input gives one-line errors naming the field or tensor; initialization is a pure function of the seed. */
class LlamaContractTest {
    private static final int VOCAB = 37;

    private static ModelConfig tiny() {
        return Llamas.tiny(16, 1, 4, 2, 24, VOCAB, false);
    }

    @Test
    void configsThatCannotBeComputedAreRejectedNamingTheField() {
        LlamaArchitecture llama = Llamas.llama();
        assertRejected(llama, tiny().with("num_attention_heads", 3),
                "spec: hidden_size 16 is not a multiple of num_attention_heads 3");
        assertRejected(llama, tiny().with("num_key_value_heads", 3),
                "spec: num_attention_heads 4 is not a multiple of num_key_value_heads 3");
        assertRejected(llama, tiny().with("num_key_value_heads", 0), "spec: field 'num_key_value_heads' must be positive, found 0");
        assertRejected(llama, tiny().with("hidden_size", 12).with("num_attention_heads", 4),
                "spec: the head size hidden_size / num_attention_heads = 3 must be even (rotary embeddings rotate pairs"
                        + " of dims)");
        assertRejected(llama, tiny().with("hidden_act", "gelu"), "spec: hidden_act \"gelu\" is not supported (only \"silu\")");
        assertRejected(llama, tiny().with("attention_bias", true),
                "spec: attention_bias true is not supported (Llama has no biases)");
        assertRejected(llama, tiny().with("rope_scaling", Map.of("type", "linear", "factor", 2.0)),
                "spec: rope_scaling is not supported (only plain rotary embeddings)");
        assertRejected(llama, tiny().with("rms_norm_eps", 0.0), "spec: rms_norm_eps must be positive and finite, found 0.0");
        assertRejected(llama, tiny().with("model_type", "bert"), "spec: model_type must be \"llama\", found \"bert\"");
    }

    private static void assertRejected(LlamaArchitecture llama, ModelConfig config, String message) {
        TransfuseException e = assertThrows(TransfuseException.class, () -> llama.graph(config));
        assertEquals(message, e.getMessage());
    }

    @Test
    void weightsThatDoNotFitTheConfigNameTheTensor() {
        LlamaArchitecture llama = Llamas.llama();
        Map<String, Tensor> w = llama.initialize(tiny(), 1);
        TransfuseException e = assertThrows(TransfuseException.class, () -> llama.validate(
                Llamas.tiny(16, 1, 4, 2, 24, VOCAB + 3, false), w));
        assertEquals("tensor model.embed_tokens.weight: expected shape [40, 16] from the config, found [37, 16]",
                e.getMessage());
        // 4 query heads on 1 KV head: k_proj has 4 rows, not the 8 of 2 KV heads.
        e = assertThrows(TransfuseException.class, () -> llama.validate(tiny().with("num_key_value_heads", 1), w));
        assertEquals("tensor model.layers.0.self_attn.k_proj.weight: expected shape [4, 16] from the config,"
                + " found [8, 16]", e.getMessage());
        Map<String, Tensor> missing = new LinkedHashMap<>(w);
        missing.remove("lm_head.weight");
        e = assertThrows(TransfuseException.class, () -> llama.validate(tiny(), missing));
        assertEquals("missing tensor lm_head.weight (expected shape [37, 16])", e.getMessage());
        // Tied: the LM head is the embedding matrix, so no lm_head tensor is needed.
        llama.validate(tiny().with("tie_word_embeddings", true), missing);
        Map<String, Tensor> nan = new LinkedHashMap<>(w);
        float[] v = w.get("model.norm.weight").toFloats();
        v[5] = Float.NaN;
        nan.put("model.norm.weight", Tensor.ofFloats(new long[] {16}, v));
        e = assertThrows(TransfuseException.class, () -> llama.validate(tiny(), nan));
        assertEquals("tensor model.norm.weight holds NaN at flat index 5", e.getMessage());
    }

    @Test
    void inputsThatDoNotFitTheConfigAreRejected() {
        LlamaArchitecture llama = Llamas.llama();
        Map<String, Tensor> w = llama.initialize(tiny(), 1);
        Tensor ids = Tensor.ofLongs(new long[] {1, 3}, new long[] {2, VOCAB, 5});
        TransfuseException e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w,
                ForwardRequest.logits(Map.of("input_ids", ids))));
        assertEquals("input_ids holds id 37 at [0, 1] but vocab_size is 37", e.getMessage());
        Tensor tooLong = Tensor.ofLongs(new long[] {1, 33}, new long[33]);
        e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w,
                ForwardRequest.logits(Map.of("input_ids", tooLong))));
        assertEquals("input_ids has sequences of 33 tokens but max_position_embeddings is 32", e.getMessage());
        Tensor ok = Tensor.ofLongs(new long[] {1, 2}, new long[] {1, 2});
        e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w, ForwardRequest.logits(Map.of(
                "input_ids", ok, "attention_mask", Tensor.ofLongs(new long[] {1, 3}, new long[] {1, 1, 1})))));
        assertEquals("attention_mask has shape [1, 3] but input_ids has [1, 2]", e.getMessage());
        e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w, ForwardRequest.logits(Map.of(
                "input_ids", ok, "attention_mask", Tensor.ofLongs(new long[] {1, 2}, new long[] {1, 2})))));
        assertEquals("attention_mask must hold 0 or 1, found 2.0 at [0, 1]", e.getMessage());
        e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w, ForwardRequest.logits(Map.of(
                "input_ids", Tensor.ofFloats(new long[] {1, 2}, new float[] {1, 2})))));
        assertEquals("input_ids must hold integers (int64), found F32", e.getMessage());
        e = assertThrows(TransfuseException.class, () -> llama.forward(tiny(), w, ForwardRequest.taps(
                Map.of("input_ids", ok), Set.of("layer.0.attn.qk"), TokenWindow.ALL)));
        assertEquals("unknown tap 'layer.0.attn.qk' for this llama model", e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void theSameSeedGivesBitwiseTheSameWeights() {
        LlamaArchitecture llama = Llamas.llama();
        Map<String, Tensor> a = llama.initialize(tiny(), 5);
        Map<String, Tensor> b = llama.initialize(tiny(), 5);
        Map<String, Tensor> c = llama.initialize(tiny(), 6);
        assertEquals(a.keySet(), b.keySet());
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).toFloats(), b.get(name).toFloats(), name);
        }
        assertFalse(java.util.Arrays.equals(a.get("model.layers.0.self_attn.q_proj.weight").toFloats(),
                c.get("model.layers.0.self_attn.q_proj.weight").toFloats()));
        float[] norm = a.get("model.layers.0.input_layernorm.weight").toFloats();
        for (float x : norm) {
            assertEquals(1f, x, "RMSNorm weights start at one");
        }
    }

    @Test
    void causalAttentionLetsNoPositionReadALaterToken() {
        // Changing the last token changes only the last position's logits.
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = tiny();
        Map<String, Tensor> w = Llamas.randomised(llama.initialize(config, 1), 2);
        float[] a = llama.forward(config, w, ForwardRequest.logits(Map.of("input_ids",
                Tensor.ofLongs(new long[] {1, 4}, new long[] {3, 7, 9, 11})))).logits().toFloats();
        float[] b = llama.forward(config, w, ForwardRequest.logits(Map.of("input_ids",
                Tensor.ofLongs(new long[] {1, 4}, new long[] {3, 7, 9, 12})))).logits().toFloats();
        assertArrayEquals(java.util.Arrays.copyOf(a, 3 * VOCAB), java.util.Arrays.copyOf(b, 3 * VOCAB));
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void theRecipeConfigMatchesTheBundledVocabularyAndTheCheckedInRecipe() {
        ModelConfig fromData = Llamas.llama().defaultConfig(new DatasetCatalog().open("kjv:4", Split.TRAIN));
        ModelConfig checkedIn = ConfigJson.read(Path.of("recipes/kjv-clm.json"));
        assertEquals(checkedIn.fields(), fromData.fields());
        TransfuseException e = assertThrows(TransfuseException.class, () -> Llamas.llama().defaultConfig(
                new DatasetCatalog().open("digits:4", Split.TRAIN)));
        assertTrue(e.getMessage().contains("the llama architecture needs texts"), e.getMessage());
    }
}
