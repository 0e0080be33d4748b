package transfuse.arch.llama;

import java.util.Arrays;
import java.util.Map;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.arch.common.SeededInit;

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
        return SeededInit.all(LlamaGraph.of(c).tensors(), spec -> tensor(c, spec, seed));
    }

    static Tensor tensor(LlamaConfig c, TensorSpec spec, long seed) {
        long[] shape = spec.shape();
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        String n = spec.name();
        if (n.endsWith("norm.weight")) {
            Arrays.fill(v, 1f);
        } else {
            SeededInit.normal(v, seed, n, c.initializerRange());
            int pad = LlamaTokenizers.PAD_ID;
            if (n.equals(LlamaNames.EMBED) && pad < c.vocabSize()) {
                Arrays.fill(v, pad * c.hidden(), (pad + 1) * c.hidden(), 0f);
            }
        }
        return Tensor.ofFloats(shape, v);
    }
}
