package transfuse.init.sws.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * A new label set for a grown model, architecture-neutral: the config gets HF's {@code id2label}
 * and {@code label2id} for N labels, and every declared tensor whose shape no longer matches (the
 * head) comes from the architecture's own initialization; the rest is kept.
 */
final class Relabeling {
    private Relabeling() {
    }

    /** The number of labels a config declares, or -1 when it has no {@code id2label}. */
    static int labels(ModelConfig config) {
        return config.fields().get("id2label") instanceof Map<?, ?> m ? m.size() : -1;
    }

    /** The config with {@code n} labels named {@code LABEL_0 ...} as HF names unnamed ones. */
    static ModelConfig config(ModelConfig config, int n) {
        Map<String, Object> id2label = new LinkedHashMap<>();
        Map<String, Object> label2id = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            id2label.put(Integer.toString(i), "LABEL_" + i);
            label2id.put("LABEL_" + i, i);
        }
        return config.with("id2label", id2label).with("label2id", label2id);
    }

    /** The target's tensors: the given ones where their shape fits, fresh ones (seeded) elsewhere. */
    static Map<String, Tensor> weights(Architecture arch, ModelConfig target, Map<String, Tensor> weights, long seed) {
        Map<String, Tensor> fresh = arch.initialize(target, seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec t : arch.graph(target).tensors()) {
            Tensor kept = weights.get(t.name());
            out.put(t.name(), kept != null && Arrays.equals(kept.shape(), t.shape()) ? kept : fresh.get(t.name()));
        }
        return out;
    }
}
