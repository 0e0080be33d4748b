package transfuse.arch.vit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * HF ViT's initialization: weights, CLS token and position embeddings from a normal of standard
 * deviation {@code initializer_range} truncated at two deviations, biases zero, LayerNorm scale
 * one. Each tensor draws from its own generator seeded by (seed, name), so the values of a tensor
 * do not depend on which other tensors exist (a deeper model shares its first layers' init).
 */
final class VitInit {
    private VitInit() {
    }

    static Map<String, Tensor> weights(VitConfig c, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : VitGraph.of(c).tensors()) {
            long[] shape = spec.shape();
            float[] v = new float[Math.toIntExact(Tensor.numel(shape))];
            String n = spec.name();
            boolean norm = n.contains("layernorm");
            if (norm && n.endsWith(".weight")) {
                java.util.Arrays.fill(v, 1f);
            } else if (!n.endsWith(".bias")) {
                Random r = new Random(seed * 1_000_003L + n.hashCode());
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (truncatedGaussian(r) * c.initializerRange());
                }
            }
            out.put(n, Tensor.ofFloats(shape, v));
        }
        return out;
    }

    private static double truncatedGaussian(Random r) {
        double x;
        do {
            x = r.nextGaussian();
        } while (Math.abs(x) > 2);
        return x;
    }
}
