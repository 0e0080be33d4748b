package transfuse.arch.llama;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;

import static transfuse.arch.common.ConfigFields.positive;

/**
 * The fields of an HF Llama {@code config.json} this implementation reads, checked once. Only what
 * it computes exactly is accepted: {@code hidden_act} "silu", no biases ({@code attention_bias},
 * {@code mlp_bias} false), plain rotary embeddings (no {@code rope_scaling}) over the whole head
 * ({@code head_dim}, when given, equal to hidden_size / num_attention_heads).
 *
 * @param kvHeads    {@code num_key_value_heads} (default: num_attention_heads); divides the heads
 * @param tied       {@code tie_word_embeddings} (default false, as in HF's LlamaConfig): the LM
 *                   head is the embedding matrix and no {@code lm_head.weight} is read
 * @param vocabulary the bundled tokenizer named by {@code transfuse_vocabulary}, or null when the
 *                   tokenizer is the model directory's {@code tokenizer.json}
 */
public record LlamaConfig(int hidden, int layers, int heads, int kvHeads, int intermediate, double eps,
                          double ropeTheta, int vocabSize, int maxPositions, double initializerRange, boolean tied,
                          String vocabulary) {
    static final String MODEL_TYPE = "llama";
    static final String HF_CLASS = "LlamaForCausalLM";
    static final String VOCABULARY_FIELD = "transfuse_vocabulary";

    public static LlamaConfig of(ModelConfig c) {
        String src = c.source();
        String type = c.has("model_type") ? c.getString("model_type") : null;
        if (!MODEL_TYPE.equals(type)) {
            throw new TransfuseException(src + ": model_type must be \"llama\", found "
                    + (type == null ? "none" : "\"" + type + "\""));
        }
        int hidden = positive(c, "hidden_size");
        int heads = positive(c, "num_attention_heads");
        if (hidden % heads != 0) {
            throw new TransfuseException(src + ": hidden_size " + hidden + " is not a multiple of num_attention_heads "
                    + heads);
        }
        int kvHeads = c.has("num_key_value_heads") ? positive(c, "num_key_value_heads") : heads;
        if (heads % kvHeads != 0) {
            throw new TransfuseException(src + ": num_attention_heads " + heads + " is not a multiple of"
                    + " num_key_value_heads " + kvHeads);
        }
        int headDim = hidden / heads;
        if (headDim % 2 != 0) {
            throw new TransfuseException(src + ": the head size hidden_size / num_attention_heads = " + headDim
                    + " must be even (rotary embeddings rotate pairs of dims)");
        }
        if (c.has("head_dim") && c.getInt("head_dim") != headDim) {
            throw new TransfuseException(src + ": head_dim " + c.getInt("head_dim") + " is not supported (only"
                    + " hidden_size / num_attention_heads = " + headDim + ")");
        }
        String act = c.has("hidden_act") ? c.getString("hidden_act") : "silu";
        if (!act.equals("silu")) {
            throw new TransfuseException(src + ": hidden_act \"" + act + "\" is not supported (only \"silu\")");
        }
        for (String bias : List.of("attention_bias", "mlp_bias")) {
            if (Boolean.TRUE.equals(c.fields().get(bias))) {
                throw new TransfuseException(src + ": " + bias + " true is not supported (Llama has no biases)");
            }
        }
        if (c.fields().get("rope_scaling") != null) {
            throw new TransfuseException(src + ": rope_scaling is not supported (only plain rotary embeddings)");
        }
        double eps = c.getDouble("rms_norm_eps", 1e-6);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new TransfuseException(src + ": rms_norm_eps must be positive and finite, found " + eps);
        }
        double theta = c.getDouble("rope_theta", 10000.0);
        if (!(theta > 1) || Double.isInfinite(theta)) {
            throw new TransfuseException(src + ": rope_theta must be a finite number above 1, found " + theta);
        }
        double range = c.getDouble("initializer_range", 0.02);
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new TransfuseException(src + ": initializer_range must be positive and finite, found " + range);
        }
        Object tie = c.fields().get("tie_word_embeddings");
        String vocabulary = c.has(VOCABULARY_FIELD) ? c.getString(VOCABULARY_FIELD) : null;
        return new LlamaConfig(hidden, positive(c, "num_hidden_layers"), heads, kvHeads,
                positive(c, "intermediate_size"), eps, theta, positive(c, "vocab_size"),
                positive(c, "max_position_embeddings"), range, Boolean.TRUE.equals(tie), vocabulary);
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Query heads per KV head (HF's {@code num_key_value_groups}). */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** An HF config.json tree for a Llama of the given shape. */
    public static ModelConfig toModelConfig(int hidden, int layers, int heads, int kvHeads, int intermediate,
                                            int vocabSize, int maxPositions, boolean tied, String vocabulary) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("architectures", List.of(HF_CLASS));
        f.put("model_type", MODEL_TYPE);
        f.put("hidden_size", hidden);
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", heads);
        f.put("num_key_value_heads", kvHeads);
        f.put("intermediate_size", intermediate);
        f.put("hidden_act", "silu");
        f.put("max_position_embeddings", maxPositions);
        f.put("rms_norm_eps", 1e-6);
        f.put("rope_theta", 10000.0);
        f.put("attention_bias", false);
        f.put("attention_dropout", 0.0);
        f.put("mlp_bias", false);
        f.put("initializer_range", 0.02);
        f.put("vocab_size", vocabSize);
        f.put("bos_token_id", LlamaTokenizers.BOS_ID);
        f.put("eos_token_id", LlamaTokenizers.EOS_ID);
        f.put("pad_token_id", LlamaTokenizers.PAD_ID);
        f.put("tie_word_embeddings", tied);
        if (vocabulary != null) {
            f.put(VOCABULARY_FIELD, vocabulary);
        }
        return new ModelConfig(f, "spec");
    }
}
