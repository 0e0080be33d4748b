package transfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** Multi-head attention against a plain-Java evaluation of the HF definition (contiguous heads, 1/sqrt(hd) scaling). */
class MultiHeadAttentionTest {
    private static final int B = 2, T = 3, D = 4, H = 2, HD = D / H;

    @BeforeAll
    static void djl() {
        DjlRuntime.initialize(DjlRuntime.class);
    }

    @Test
    void matchesTheTextbookFormula() {
        Random r = new Random(3);
        Map<String, Tensor> w = new LinkedHashMap<>();
        float[][] mats = new float[4][];
        float[][] biases = new float[4][];
        String[] names = {"q", "k", "v", "o"};
        for (int i = 0; i < 4; i++) {
            mats[i] = random(r, D * D);
            biases[i] = random(r, D);
            w.put(names[i] + ".weight", Tensor.ofFloats(new long[] {D, D}, mats[i]));
            w.put(names[i] + ".bias", Tensor.ofFloats(new long[] {D}, biases[i]));
        }
        float[] x = random(r, B * T * D);
        float[] expected = reference(x, mats, biases);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Params p = Params.of(m, w, false);
            float[] actual = MultiHeadAttention.apply(NdTensors.fromFloats(m, x, new Shape(B, T, D)), p,
                    new AttentionNames("q", "k", "v", "o"), H, null, TapRecorder.NONE, "t").toFloatArray();
            assertArrayEquals(expected, actual, 1e-5f);
        }
    }

    private static float[] reference(float[] x, float[][] w, float[][] b) {
        double[][] proj = new double[3][];
        for (int i = 0; i < 3; i++) {
            proj[i] = linear(x, w[i], b[i]);
        }
        double[] ctx = new double[B * T * D];
        for (int s = 0; s < B; s++) {
            for (int h = 0; h < H; h++) {
                for (int i = 0; i < T; i++) {
                    double[] score = new double[T];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < T; j++) {
                        for (int e = 0; e < HD; e++) {
                            score[j] += proj[0][(s * T + i) * D + h * HD + e] * proj[1][(s * T + j) * D + h * HD + e];
                        }
                        score[j] /= Math.sqrt(HD);
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < T; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int j = 0; j < T; j++) {
                        for (int e = 0; e < HD; e++) {
                            ctx[(s * T + i) * D + h * HD + e] += score[j] / sum * proj[2][(s * T + j) * D + h * HD + e];
                        }
                    }
                }
            }
        }
        float[] c = new float[ctx.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) ctx[i];
        }
        double[] out = linear(c, w[3], b[3]);
        float[] f = new float[out.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) out[i];
        }
        return f;
    }

    /** rows of x [n, D] times W^T [D, D] plus b, W stored [out, in]. */
    private static double[] linear(float[] x, float[] w, float[] b) {
        int n = x.length / D;
        double[] y = new double[n * D];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < D; o++) {
                double acc = b[o];
                for (int i = 0; i < D; i++) {
                    acc += x[r * D + i] * w[o * D + i];
                }
                y[r * D + o] = acc;
            }
        }
        return y;
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }
}
