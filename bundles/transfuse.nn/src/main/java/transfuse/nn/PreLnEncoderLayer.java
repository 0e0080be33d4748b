package transfuse.nn;

import ai.djl.ndarray.NDArray;

/**
 * A pre-LN transformer encoder layer (ViT): {@code h = x + Attn(LN1(x)); y = h + MLP(LN2(h))}
 * with an exact-GELU MLP. Taps, offered as [B, T, size] under {@code tapPrefix}:
 * {@code .attn.q/.k/.v/.context}, {@code .attn.out} (attention branch), {@code .attn.residual}
 * (after the first add), {@code .mlp.act} (after GELU), {@code .mlp.out} (MLP branch) and
 * {@code .residual} (the layer's output).
 *
 * @param norm1 prefix of the first LayerNorm's weight/bias
 * @param norm2 prefix of the second LayerNorm's weight/bias
 * @param up    prefix of the MLP's first Linear (d to intermediate)
 * @param down  prefix of the MLP's second Linear (intermediate to d)
 */
public record PreLnEncoderLayer(String norm1, AttentionNames attention, String norm2, String up, String down,
                                int heads, double eps) {

    public NDArray apply(NDArray x, Params p, TapRecorder taps, String tapPrefix) {
        NDArray n1 = Layers.layerNorm(x, p.get(norm1 + ".weight"), p.get(norm1 + ".bias"), eps);
        NDArray attn = MultiHeadAttention.apply(n1, p, attention, heads, null, taps, tapPrefix + ".attn");
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.out", attn);
        NDArray h = x.add(attn);
        MultiHeadAttention.offer(taps, tapPrefix + ".attn.residual", h);
        NDArray n2 = Layers.layerNorm(h, p.get(norm2 + ".weight"), p.get(norm2 + ".bias"), eps);
        NDArray act = Layers.gelu(Layers.linear(n2, p.get(up + ".weight"), p.get(up + ".bias")));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.act", act);
        NDArray mlp = Layers.linear(act, p.get(down + ".weight"), p.get(down + ".bias"));
        MultiHeadAttention.offer(taps, tapPrefix + ".mlp.out", mlp);
        NDArray y = h.add(mlp);
        MultiHeadAttention.offer(taps, tapPrefix + ".residual", y);
        return y;
    }
}
