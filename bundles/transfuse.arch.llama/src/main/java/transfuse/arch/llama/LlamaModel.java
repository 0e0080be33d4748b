package transfuse.arch.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import transfuse.nn.Layers;
import transfuse.nn.NdTensors;
import transfuse.nn.Params;
import transfuse.nn.TapRecorder;

/**
 * The Llama forward pass as HF's {@code LlamaForCausalLM} computes it: token embeddings, then per
 * layer {@code h += o(Attn(RMSNorm(h)))} with rotary queries and keys, causal attention and each
 * KV head shared by its group of query heads, and {@code h += down(silu(gate(x)) * up(x))} with
 * {@code x = RMSNorm(h)}; a final RMSNorm and the LM head (the embedding matrix when tied). Taps,
 * offered as [B, T, size]: {@code embed}, per layer {@code attn.q/.k/.v} (projections, before the
 * rotation), {@code attn.context} (the output projection's input), {@code attn.out},
 * {@code attn.residual}, {@code mlp.act} (silu(gate) * up), {@code mlp.out}, {@code residual}.
 */
final class LlamaModel {
    private final LlamaConfig c;

    LlamaModel(LlamaConfig c) {
        this.c = c;
    }

    /**
     * The last hidden state after the final norm, [B, T, d].
     *
     * @param ids  [B, T] int64
     * @param mask [B, T] of 1 (token) and 0 (padding), row-major
     */
    NDArray hidden(Params p, NDArray ids, float[] mask, TapRecorder taps) {
        NDManager m = ids.getManager();
        int b = (int) ids.getShape().get(0);
        int t = (int) ids.getShape().get(1);
        NDArray h = Embedding.embedding(ids, p.get(LlamaNames.EMBED), SparseFormat.DENSE).singletonOrThrow();
        offer(taps, "embed", h);
        RotaryEmbedding rope = new RotaryEmbedding(m, t, c.headDim(), c.ropeTheta());
        NDArray bias = attentionBias(m, mask, b, t);
        for (int i = 0; i < c.layers(); i++) {
            h = layer(p, LlamaNames.Layer.of(i), h, rope, bias, taps, "layer." + i);
        }
        return rmsNorm(h, p.get(LlamaNames.NORM));
    }

    /** Next-token logits [..., vocab] of hidden rows [..., d]. */
    NDArray logits(Params p, NDArray hidden) {
        return Layers.linear(hidden, p.get(c.tied() ? LlamaNames.EMBED : LlamaNames.LM_HEAD), null);
    }

    private NDArray layer(Params p, LlamaNames.Layer n, NDArray h, RotaryEmbedding rope, NDArray bias,
                          TapRecorder taps, String tap) {
        NDArray attn = attention(p, n, rmsNorm(h, p.get(n.inputNorm())), rope, bias, taps, tap + ".attn");
        offer(taps, tap + ".attn.out", attn);
        h = h.add(attn);
        offer(taps, tap + ".attn.residual", h);
        NDArray x = rmsNorm(h, p.get(n.postNorm()));
        NDArray gate = Layers.linear(x, p.get(n.gate()), null);
        NDArray act = gate.mul(Activation.sigmoid(gate)).mul(Layers.linear(x, p.get(n.up()), null));
        offer(taps, tap + ".mlp.act", act);
        NDArray mlp = Layers.linear(act, p.get(n.down()), null);
        offer(taps, tap + ".mlp.out", mlp);
        h = h.add(mlp);
        offer(taps, tap + ".residual", h);
        return h;
    }

    private NDArray attention(Params p, LlamaNames.Layer n, NDArray x, RotaryEmbedding rope, NDArray bias,
                              TapRecorder taps, String tap) {
        long b = x.getShape().get(0), t = x.getShape().get(1);
        int heads = c.heads(), kv = c.kvHeads(), hd = c.headDim(), r = c.groupSize();
        NDArray q = Layers.linear(x, p.get(n.q()), null);
        NDArray k = Layers.linear(x, p.get(n.k()), null);
        NDArray v = Layers.linear(x, p.get(n.v()), null);
        offer(taps, tap + ".q", q);
        offer(taps, tap + ".k", k);
        offer(taps, tap + ".v", v);
        NDArray qh = rope.apply(q.reshape(b, t, heads, hd).transpose(0, 2, 1, 3));
        NDArray kh = rope.apply(k.reshape(b, t, kv, hd).transpose(0, 2, 1, 3));
        NDArray vh = v.reshape(b, t, kv, hd).transpose(0, 2, 1, 3);
        if (r > 1) {
            // HF's repeat_kv: query head h reads KV head h / r.
            kh = kh.expandDims(2).broadcast(new Shape(b, kv, r, t, hd)).reshape(b, heads, t, hd);
            vh = vh.expandDims(2).broadcast(new Shape(b, kv, r, t, hd)).reshape(b, heads, t, hd);
        }
        NDArray scores = Layers.scale(qh.matMul(kh.transpose(0, 1, 3, 2)), 1.0 / Math.sqrt(hd)).add(bias);
        NDArray context = scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, t, (long) heads * hd);
        offer(taps, tap + ".context", context);
        return Layers.linear(context, p.get(n.o()), null);
    }

    /** {@code x / sqrt(mean(x^2) + eps) * w} over the last axis (HF's LlamaRMSNorm). */
    NDArray rmsNorm(NDArray x, NDArray weight) {
        NDArray meanSquare = x.mul(x).mean(new int[] {-1}, true);
        try (NDArray eps = x.getManager().full(new Shape(), (float) c.eps())) {
            return x.div(meanSquare.add(eps).sqrt()).mul(weight);
        }
    }

    /**
     * The additive [B, 1, T, T] bias: 0 where query i may read key j (j <= i and j not padding),
     * the most negative float elsewhere (finite, so a row with no readable key stays a uniform
     * softmax rather than NaN; right padding never leaves a real token such a row).
     */
    static NDArray attentionBias(NDManager m, float[] mask, int b, int t) {
        float[] bias = new float[b * t * t];
        for (int s = 0; s < b; s++) {
            for (int i = 0; i < t; i++) {
                for (int j = 0; j < t; j++) {
                    boolean readable = j <= i && mask[s * t + j] != 0;
                    bias[(s * t + i) * t + j] = readable ? 0f : -Float.MAX_VALUE;
                }
            }
        }
        return NdTensors.fromFloats(m, bias, new Shape(b, 1, t, t));
    }

    private static void offer(TapRecorder taps, String name, NDArray a) {
        if (taps.wants(name)) {
            taps.record(name, a);
        }
    }
}
