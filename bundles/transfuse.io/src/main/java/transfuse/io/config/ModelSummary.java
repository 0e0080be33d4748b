package transfuse.io.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import transfuse.api.model.ModelConfig;
import transfuse.io.safetensors.SafetensorsEntry;

/**
 * The headline figures of a model: the config fields that say what it is (null where the config
 * lacks them, or when there is no config) and counts over its tensors. Parameters are the
 * elements of floating-point tensors, which leaves out integer buffers such as BERT's
 * {@code position_ids}, as PyTorch's parameter count does.
 */
public record ModelSummary(String modelType, Integer hiddenSize, Integer numHiddenLayers,
        Integer numAttentionHeads, Integer intermediateSize, int tensorCount, long parameterCount,
        long totalBytes, Map<String, Object> records) {
    /** Config fields with this prefix are what Transfuse recorded about how the model was made. */
    public static final String RECORD_PREFIX = "transfuse_";

    public ModelSummary {
        records = Map.copyOf(records);
    }

    /** @param config the model's config, or null for a bare weights file */
    public static ModelSummary of(ModelConfig config, List<SafetensorsEntry> tensors) {
        long parameters = 0;
        long bytes = 0;
        for (SafetensorsEntry e : tensors) {
            if (e.dtype().isFloating()) {
                parameters += e.numel();
            }
            bytes += e.byteSize();
        }
        if (config == null) {
            return new ModelSummary(null, null, null, null, null, tensors.size(), parameters, bytes, Map.of());
        }
        String modelType = config.fields().get("model_type") != null ? config.modelType() : null;
        return new ModelSummary(modelType, optionalInt(config, "hidden_size"), optionalInt(config, "num_hidden_layers"),
                optionalInt(config, "num_attention_heads"), optionalInt(config, "intermediate_size"),
                tensors.size(), parameters, bytes, records(config));
    }

    /** The config's {@value #RECORD_PREFIX}* fields (a learngene's, a fusion's), in name order. */
    private static Map<String, Object> records(ModelConfig config) {
        Map<String, Object> m = new TreeMap<>();
        config.fields().forEach((k, v) -> {
            if (k.startsWith(RECORD_PREFIX) && v != null) {
                m.put(k, v);
            }
        });
        return m;
    }

    private static Integer optionalInt(ModelConfig config, String key) {
        return config.fields().get(key) != null ? config.getInt(key) : null;
    }

    /** The config fields under their HF names, in a fixed order; absent ones are null. */
    public Map<String, Object> configFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_type", modelType);
        m.put("hidden_size", hiddenSize);
        m.put("num_hidden_layers", numHiddenLayers);
        m.put("num_attention_heads", numAttentionHeads);
        m.put("intermediate_size", intermediateSize);
        return m;
    }
}
