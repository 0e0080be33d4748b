package transfuse.arch.common;

import java.util.List;

import transfuse.api.model.Join;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;

/**
 * The neuron spaces of encoder layer i, named alike in every architecture so the engine and the
 * reports read the same names: headed {@code qk} and {@code v}, the attention output and the
 * residual after it ({@code attn.residual}), the MLP's hidden and output spaces and the layer's
 * residual output. The residual stream gets one space per join, so a residual policy can act at
 * each add.
 */
public record EncoderLayerSpaces(String qk, String v, String attnOut, String mid, String mlp, String mlpOut,
                                 String out) {
    public static EncoderLayerSpaces of(int layer) {
        String s = "layer." + layer;
        return new EncoderLayerSpaces(s + ".attn.qk", s + ".attn.v", s + ".attn.out", s + ".attn.residual",
                s + ".mlp", s + ".mlp.out", s + ".residual");
    }

    /** Declares the layer's spaces in topological order. */
    public void declareSpaces(List<NeuronSpace> spaces, int d, int heads, int intermediate) {
        spaces.add(new NeuronSpace(qk, d, heads));
        spaces.add(new NeuronSpace(v, d, heads));
        spaces.add(NeuronSpace.flat(attnOut, d));
        spaces.add(NeuronSpace.flat(mid, d));
        spaces.add(NeuronSpace.flat(mlp, intermediate));
        spaces.add(NeuronSpace.flat(mlpOut, d));
        spaces.add(NeuronSpace.flat(out, d));
    }

    /** The two residual adds: {@code mid = in + attnOut} and {@code out = mid + mlpOut}. */
    public void declareJoins(List<Join> joins, String in) {
        joins.add(new Join(mid, in, attnOut));
        joins.add(new Join(out, mid, mlpOut));
    }

    /** The activations the layer's forward pass records, by tap name. */
    public void declareTaps(List<Tap> taps) {
        String s = qk.substring(0, qk.length() - ".attn.qk".length());
        taps.add(new Tap(s + ".attn.q", qk));
        taps.add(new Tap(s + ".attn.k", qk));
        taps.add(new Tap(s + ".attn.v", v));
        taps.add(new Tap(s + ".attn.context", v));
        taps.add(new Tap(s + ".attn.out", attnOut));
        taps.add(new Tap(s + ".attn.residual", mid));
        taps.add(new Tap(s + ".mlp.act", mlp));
        taps.add(new Tap(s + ".mlp.out", mlpOut));
        taps.add(new Tap(s + ".residual", out));
    }
}
