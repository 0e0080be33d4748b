package transfuse.arch.llama;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** Shared fixtures: DJL initialized once outside OSGi, tiny configs, random ids, perturbed weights. */
final class Llamas {
    private static LlamaArchitecture llama;

    private Llamas() {
    }

    static synchronized LlamaArchitecture llama() {
        if (llama == null) {
            DjlRuntime.initialize(DjlRuntime.class);
            llama = new LlamaArchitecture(new DjlRuntime());
        }
        return llama;
    }

    static ModelConfig tiny(int hidden, int layers, int heads, int kvHeads, int intermediate, int vocab, boolean tied) {
        return LlamaConfig.toModelConfig(hidden, layers, heads, kvHeads, intermediate, vocab, 32, tied, null);
    }

    /**
     * Initial weights perturbed everywhere: unit RMSNorm weights and small projections would hide
     * axis mistakes (a norm weight of ones is unchanged by any permutation).
     */
    static Map<String, Tensor> randomised(Map<String, Tensor> w, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        w.forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (r.nextGaussian() * 0.3);
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }

    /** Random ids in [0, vocab) [n, t] with sample i padded on the right after t - i tokens (at least 2 kept). */
    static Tensor[] idsAndMask(int n, int t, int vocab, long seed) {
        Random r = new Random(seed);
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        for (int i = 0; i < n; i++) {
            int len = Math.max(2, t - i);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < len ? r.nextInt(vocab) : 0;
                mask[i * t + j] = j < len ? 1 : 0;
            }
        }
        return new Tensor[] {Tensor.ofLongs(new long[] {n, t}, ids), Tensor.ofLongs(new long[] {n, t}, mask)};
    }

    /** max |a - b| / max |a| over the positions where {@code keep} is set (null: everywhere), per row of {@code width}. */
    static double relative(float[] a, float[] b, long[] keep, int width) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            if (keep != null && keep[i / width] == 0) {
                continue;
            }
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }
}
