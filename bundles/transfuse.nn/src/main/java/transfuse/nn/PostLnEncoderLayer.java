package transfuse.nn;

import ai.djl.ndarray.NDArray;

/**
 * A post-LN transformer encoder layer (BERT): {@code h = LN1(x + Attn(x)); y = LN2(h + MLP(h))}
 * with an exact-GELU MLP. Taps as in {@link PreLnEncoderLayer}: {@code .attn.q/.k/.v/.context},
 * {@code .attn.out}, {@code .attn.residual} (after the first norm), {@code .mlp.act},
 * {@code .mlp.out} and {@code .residual} (after the second norm).
 *
 * @param norm1 prefix of the LayerNorm after attention (BERT: attention.output.LayerNorm)
 * @param norm2 prefix of the LayerNorm after the MLP (BERT: output.LayerNorm)
 */
public record PostLnEncoderLayer(AttentionNames attention, String norm1, String up, String down, String norm2,
                                 int heads, double eps) {

    /** @param mask additive attention mask broadcastable to [B, heads, T, T], or null */
    public NDArray apply(NDArray x, NDArray mask, Params p, TapRecorder taps, String tapPrefix) {
        NDArray attn = MultiHeadAttention.apply(x, p, attention, heads, mask, taps, tapPrefix + ".attn");
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.out", attn);
        NDArray h = Layers.layerNorm(x.add(attn), p.get(norm1 + ".weight"), p.get(norm1 + ".bias"), eps);
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.residual", h);
        NDArray act = Layers.gelu(Layers.linear(h, p.get(up + ".weight"), p.get(up + ".bias")));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.act", act);
        NDArray mlp = Layers.linear(act, p.get(down + ".weight"), p.get(down + ".bias"));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.out", mlp);
        NDArray y = Layers.layerNorm(h.add(mlp), p.get(norm2 + ".weight"), p.get(norm2 + ".bias"), eps);
        MultiHeadAttention.offer(taps, tapPrefix + ".residual", y);
        return y;
    }
}
