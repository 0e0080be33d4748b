package transfuse.nn;

import ai.djl.ndarray.NDArray;

/**
 * A post-LN transformer encoder layer (BERT): {@code h = LN1(x + Attn(x)); y = LN2(h + MLP(h))}
 * with an exact-GELU MLP and an optional additive attention mask. Taps, offered as [B, T, size]
 * under {@code tapPrefix}: {@code .attn.q/.k/.v/.context}, {@code .attn.out} (attention branch),
 * {@code .attn.residual} (after the first add and its LayerNorm), {@code .mlp.act} (after GELU),
 * {@code .mlp.out} (MLP branch) and {@code .residual} (the layer's output, after the second
 * LayerNorm). The residual taps read after the norm because that is the stream the next block
 * sees; a LayerNorm commutes with a permutation of its (permuted) parameters, so the space is
 * the same as the sum's.
 *
 * @param attentionNorm prefix of the LayerNorm after the attention add
 * @param up            prefix of the MLP's first Linear (d to intermediate)
 * @param down          prefix of the MLP's second Linear (intermediate to d)
 * @param outputNorm    prefix of the LayerNorm after the MLP add
 */
public record PostLnEncoderLayer(AttentionNames attention, String attentionNorm, String up, String down,
                                 String outputNorm, int heads, double eps) {

    /** @param mask additive attention mask broadcastable to [B, heads, T, T], or null */
    public NDArray apply(NDArray x, NDArray mask, Params p, TapRecorder taps, String tapPrefix) {
        NDArray attn = MultiHeadAttention.apply(x, p, attention, heads, mask, taps, tapPrefix + ".attn");
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.out", attn);
        NDArray h = Layers.layerNorm(x.add(attn), p.get(attentionNorm + ".weight"), p.get(attentionNorm + ".bias"), eps);
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.residual", h);
        NDArray act = Layers.gelu(Layers.linear(h, p.get(up + ".weight"), p.get(up + ".bias")));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.act", act);
        NDArray mlp = Layers.linear(act, p.get(down + ".weight"), p.get(down + ".bias"));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.out", mlp);
        NDArray y = Layers.layerNorm(h.add(mlp), p.get(outputNorm + ".weight"), p.get(outputNorm + ".bias"), eps);
        MultiHeadAttention.offer(taps, tapPrefix + ".residual", y);
        return y;
    }
}
