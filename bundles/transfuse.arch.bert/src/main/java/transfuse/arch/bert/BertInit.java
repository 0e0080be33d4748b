package transfuse.arch.bert;

import java.util.Arrays;
import java.util.Map;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.arch.common.SeededInit;

/**
 * HF BERT's initialization: Linear weights and embeddings from a normal of standard deviation
 * {@code initializer_range}, biases zero, LayerNorm scale one, the padding token's embedding
 * row zero. Each tensor draws from its own generator seeded by (seed, name), so a tensor's values
 * do not depend on which other tensors exist (a new head does not disturb the body).
 */
final class BertInit {
    private BertInit() {
    }

    static Map<String, Tensor> weights(BertConfig c, long seed) {
        return SeededInit.all(BertGraph.of(c).tensors(), spec -> tensor(c, spec, seed));
    }

    static Tensor tensor(BertConfig c, TensorSpec spec, long seed) {
        long[] shape = spec.shape();
        float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
        String n = spec.name();
        if (n.contains("LayerNorm") && n.endsWith(".weight")) {
            Arrays.fill(v, 1f);
        } else if (!n.endsWith(".bias") && !n.equals(BertNames.MLM_BIAS)) {
            SeededInit.normal(v, seed, n, c.initializerRange());
            if (n.equals(BertNames.WORD) && c.padTokenId() >= 0 && c.padTokenId() < c.vocabSize()) {
                Arrays.fill(v, c.padTokenId() * c.hidden(), (c.padTokenId() + 1) * c.hidden(), 0f);
            }
        }
        return Tensor.ofFloats(shape, v);
    }
}
