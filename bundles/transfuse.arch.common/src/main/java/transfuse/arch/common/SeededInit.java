package transfuse.arch.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * Random initialization where each tensor draws from its own generator seeded by (seed, name),
 * so a tensor's values do not depend on which other tensors exist (a new head does not disturb
 * the body) and the same seed gives bitwise the same weights.
 */
public final class SeededInit {
    private SeededInit() {
    }

    /** Each declared tensor as init makes it, in declaration order. */
    public static Map<String, Tensor> all(List<TensorSpec> specs, Function<TensorSpec, Tensor> init) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            out.put(spec.name(), init.apply(spec));
        }
        return out;
    }

    /** Fills v from a normal of mean 0 and standard deviation std, drawn by the tensor's own generator. */
    public static void normal(float[] v, long seed, String name, double std) {
        Random r = new Random(seed * 1_000_003L + name.hashCode());
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
    }
}
