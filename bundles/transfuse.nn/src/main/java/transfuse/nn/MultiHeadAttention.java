package transfuse.nn;

import ai.djl.ndarray.NDArray;

/**
 * Scaled dot-product self-attention with separate Q, K, V projections (HF layout). Heads are
 * contiguous slices of the projection outputs: neuron {@code h * headDim + i} is dim i of head h.
 */
public final class MultiHeadAttention {
    private MultiHeadAttention() {
    }

    /**
     * @param x         [B, T, d]
     * @param mask      additive mask broadcastable to [B, heads, T, T] (0 keep, large negative drop), or null
     * @param tapPrefix taps {@code PREFIX.q}, {@code .k}, {@code .v}, {@code .context} are offered as [B, T, size]
     * @return the output projection, [B, T, d]
     */
    public static NDArray apply(NDArray x, Params p, AttentionNames names, int heads, NDArray mask,
                                TapRecorder taps, String tapPrefix) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        NDArray q = Layers.linear(x, p.get(names.query() + ".weight"), p.get(names.query() + ".bias"));
        NDArray k = Layers.linear(x, p.get(names.key() + ".weight"), p.get(names.key() + ".bias"));
        NDArray v = Layers.linear(x, p.get(names.value() + ".weight"), p.get(names.value() + ".bias"));
        offer(taps, tapPrefix + ".q", q);
        offer(taps, tapPrefix + ".k", k);
        offer(taps, tapPrefix + ".v", v);
        long width = q.getShape().get(2);
        long headDim = width / heads;
        NDArray qh = q.reshape(b, t, heads, headDim).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, t, heads, headDim).transpose(0, 2, 3, 1);
        long vWidth = v.getShape().get(2);
        NDArray vh = v.reshape(b, t, heads, vWidth / heads).transpose(0, 2, 1, 3);
        NDArray scores = Layers.scale(qh.matMul(kh), 1.0 / Math.sqrt(headDim));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray context = scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, vWidth);
        offer(taps, tapPrefix + ".context", context);
        return Layers.linear(context, p.get(names.output() + ".weight"), p.get(names.output() + ".bias"));
    }

    static void offer(TapRecorder taps, String name, NDArray a) {
        if (taps.wants(name)) {
            taps.record(name, a);
        }
    }
}
