package transfuse.arch.bert;

import java.util.List;
import java.util.Random;

import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** Shared fixtures: DJL initialized once outside OSGi, tiny configs, random token ids. */
final class Berts {
    private static BertArchitecture bert;

    private Berts() {
    }

    static synchronized BertArchitecture bert() {
        if (bert == null) {
            DjlRuntime.initialize(DjlRuntime.class);
            bert = new BertArchitecture(new DjlRuntime());
        }
        return bert;
    }

    static ModelConfig tiny(int hidden, int layers, int heads, int intermediate, int vocab, BertTask task) {
        return BertConfig.toModelConfig(hidden, layers, heads, intermediate, vocab, 16, task, List.of("a", "b", "c"),
                null);
    }

    static ModelConfig untied(ModelConfig c) {
        return c.with("tie_word_embeddings", false);
    }

    /** Random ids in [1, vocab) [n, t], with sample i padded after t - i tokens (at least 2 kept). */
    static Tensor[] idsAndMask(int n, int t, int vocab, long seed) {
        Random r = new Random(seed);
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        for (int i = 0; i < n; i++) {
            int len = Math.max(2, t - i);
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = j < len ? 1 + r.nextInt(vocab - 1) : 0;
                mask[i * t + j] = j < len ? 1 : 0;
            }
        }
        return new Tensor[] {Tensor.ofLongs(new long[] {n, t}, ids), Tensor.ofLongs(new long[] {n, t}, mask)};
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
