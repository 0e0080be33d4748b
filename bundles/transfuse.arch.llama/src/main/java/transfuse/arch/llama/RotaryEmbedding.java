package transfuse.arch.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import transfuse.nn.NdTensors;

/**
 * HF Llama's rotary position embedding, rotate-half convention: dim j < hd/2 of a head and dim
 * j + hd/2 form a pair rotated by the angle {@code position * theta^(-2j/hd)}, i.e.
 * {@code x * cos + rotate_half(x) * sin} with {@code rotate_half(x) = [-x2, x1]} and cos/sin
 * tables of {@code [freqs, freqs]} over the head. Positions are 0 .. T-1.
 */
final class RotaryEmbedding {
    private final NDArray cos;
    private final NDArray sin;
    private final int half;

    /** Tables [T, hd] for T positions, computed in float64 and rounded once. */
    RotaryEmbedding(NDManager m, int t, int headDim, double theta) {
        half = headDim / 2;
        float[] c = new float[t * headDim];
        float[] s = new float[t * headDim];
        for (int p = 0; p < t; p++) {
            for (int j = 0; j < half; j++) {
                double angle = p * Math.pow(theta, -2.0 * j / headDim);
                for (int k : new int[] {j, j + half}) {
                    c[p * headDim + k] = (float) Math.cos(angle);
                    s[p * headDim + k] = (float) Math.sin(angle);
                }
            }
        }
        cos = NdTensors.fromFloats(m, c, new Shape(t, headDim));
        sin = NdTensors.fromFloats(m, s, new Shape(t, headDim));
    }

    /** @param x [B, heads, T, hd] */
    NDArray apply(NDArray x) {
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).add(rotated.mul(sin));
    }
}
