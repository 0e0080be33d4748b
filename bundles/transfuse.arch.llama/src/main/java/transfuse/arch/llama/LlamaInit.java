package transfuse.arch.llama;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * HF Llama's initialization: Linear weights and embeddings from a normal of standard deviation
 * {@code initializer_range}, RMSNorm weights one, the padding token's embedding row zero. Each
 * tensor draws from its own generator seeded by (seed, name), so a tensor's values do not depend
 * on which other tensors exist, and the same seed gives bitwise the same weights.
 */
final class LlamaInit {
    private LlamaInit() {
    }

    static Map<String, Tensor> weights(LlamaConfig c, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : LlamaGraph.of(c).tensors()) {
            out.put(spec.name(), tensor(c, spec, seed));
        }
        return out;
    }

    static Tensor tensor(LlamaConfig c, TensorSpec spec, long seed) {
        long[] shape = spec.shape();
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        String n = spec.name();
        if (n.endsWith("norm.weight")) {
            Arrays.fill(v, 1f);
        } else {
            Random r = new Random(seed * 1_000_003L + n.hashCode());
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * c.initializerRange());
            }
            int pad = LlamaTokenizers.PAD_ID;
            if (n.equals(LlamaNames.EMBED) && pad < c.vocabSize()) {
                Arrays.fill(v, pad * c.hidden(), (pad + 1) * c.hidden(), 0f);
            }
        }
        return Tensor.ofFloats(shape, v);
    }
}
