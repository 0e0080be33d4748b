package transfuse.arch.vit;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.arch.HeadGroup;
import transfuse.api.model.Join;
import transfuse.api.model.Layer;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;
import transfuse.arch.common.EncoderDeclarations;
import transfuse.arch.common.EncoderLayerSpaces;

import static transfuse.arch.common.EncoderDeclarations.linear;
import static transfuse.arch.common.EncoderDeclarations.norm;
import static transfuse.arch.common.EncoderDeclarations.spec;

/**
 * ViT's neuron spaces. The residual stream gets one space per join rather than one for the
 * whole stream, so the engine's residual policy can act at each add:
 * <pre>
 * embed.residual                      CLS, position and patch embeddings (the stream entering layer 0)
 * layer.N.attn.qk      heads x hd     query and key rows (Q and K move together per head)
 * layer.N.attn.v       heads x hd     value rows, output projection columns
 * layer.N.attn.out                    output projection rows (the attention branch)
 * layer.N.attn.residual               skip + attention branch          (join)
 * layer.N.mlp                         intermediate (after exact GELU)
 * layer.N.mlp.out                     MLP output rows (the MLP branch)
 * layer.N.residual                    attn.residual + MLP branch       (join; the stream entering layer N+1)
 * </pre>
 * LayerNorm parameters live in the space of the stream they normalise; the classifier's input
 * axis in the last {@code layer.N.residual}. A function-preserving permutation uses one
 * permutation for all spaces connected by joins, and per layer one head permutation shared by
 * {@code attn.qk} and {@code attn.v} (see {@link #headGroups}).
 */
final class VitGraph {
    private VitGraph() {
    }

    static String residualBefore(int layer) {
        return layer == 0 ? "embed.residual" : "layer." + (layer - 1) + ".residual";
    }

    static ModelGraph of(VitConfig c) {
        int d = c.hidden();
        List<NeuronSpace> spaces = new ArrayList<>();
        List<TensorSpec> tensors = new ArrayList<>();
        List<Tap> taps = new ArrayList<>();
        List<Join> joins = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();

        spaces.add(NeuronSpace.flat("embed.residual", d));
        tensors.add(spec(VitNames.CLS, new long[] {1, 1, d}, null, null, "embed.residual"));
        tensors.add(spec(VitNames.POS, new long[] {1, c.tokens(), d}, null, null, "embed.residual"));
        tensors.add(spec(VitNames.PATCH + ".weight", new long[] {d, c.channels(), c.patchSize(), c.patchSize()},
                "embed.residual", null, null, null));
        tensors.add(spec(VitNames.PATCH + ".bias", new long[] {d}, "embed.residual"));
        taps.add(new Tap("embed", "embed.residual"));

        for (int i = 0; i < c.layers(); i++) {
            String l = VitNames.layer(i);
            String in = residualBefore(i);
            int firstSpace = spaces.size();
            int firstTensor = tensors.size();
            EncoderLayerSpaces ls = EncoderLayerSpaces.of(i);
            ls.declareSpaces(spaces, d, c.heads(), c.intermediate());
            String qk = ls.qk(), v = ls.v(), attnOut = ls.attnOut(), mid = ls.mid(), mlp = ls.mlp(), mlpOut = ls.mlpOut();

            norm(tensors, l + ".layernorm_before", d, in);
            linear(tensors, l + ".attention.attention.query", d, d, qk, in);
            linear(tensors, l + ".attention.attention.key", d, d, qk, in);
            linear(tensors, l + ".attention.attention.value", d, d, v, in);
            linear(tensors, l + ".attention.output.dense", d, d, attnOut, v);
            norm(tensors, l + ".layernorm_after", d, mid);
            linear(tensors, l + ".intermediate.dense", c.intermediate(), d, mlp, mid);
            linear(tensors, l + ".output.dense", d, c.intermediate(), mlpOut, mlp);

            ls.declareJoins(joins, in);
            ls.declareTaps(taps);
            layers.add(Layer.of(i, spaces.subList(firstSpace, spaces.size()),
                    tensors.subList(firstTensor, tensors.size())));
        }
        String last = residualBefore(c.layers());
        norm(tensors, VitNames.FINAL_NORM, d, last);
        taps.add(new Tap("final.norm", last));
        tensors.add(spec(VitNames.CLASSIFIER + ".weight", new long[] {c.numLabels(), d}, null, last));
        tensors.add(spec(VitNames.CLASSIFIER + ".bias", new long[] {c.numLabels()}, (String) null));
        return new ModelGraph(spaces, tensors, taps, joins, layers);
    }

    static List<HeadGroup> headGroups(VitConfig c) {
        return EncoderDeclarations.attentionHeadGroups(c.layers(), c.heads());
    }
}
