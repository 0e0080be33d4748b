package transfuse.arch.llama;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import transfuse.api.arch.HeadFactor;
import transfuse.api.arch.HeadGroup;
import transfuse.api.model.Join;
import transfuse.api.model.Layer;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;

import static transfuse.arch.common.EncoderDeclarations.spec;

/**
 * Llama's neuron spaces (pre-norm decoder; docs/llama.md argues each). The residual stream gets
 * one space per join, as for ViT; an RMSNorm's weight lives in the space it normalises, since
 * {@code x / rms(x) * w} commutes with one permutation of x and w (rms is order-free). Attention
 * is declared per KV head: with G KV heads and r = heads / G query heads each,
 * <pre>
 * embed.residual                              token embeddings (and the tied LM head)
 * layer.N.attn.q        G x (r * hd)          query rows: a KV head's r query heads
 * layer.N.attn.k        G x hd                key rows
 * layer.N.attn.v        G x hd                value rows
 * layer.N.attn.context  G x (r * hd)          output-projection columns (query-head major)
 * layer.N.attn.out                            output-projection rows (the attention branch)
 * layer.N.attn.residual                       skip + attention branch      (join)
 * layer.N.mlp                                 gate and up rows, down columns
 * layer.N.mlp.out                             down rows (the MLP branch)
 * layer.N.residual                            attn.residual + MLP branch   (join; enters N+1)
 * </pre>
 * One head group per layer moves the G KV heads with their query heads. Inside a head
 * ({@link HeadFactor}s): no Q or K dim moves (rotary embeddings pair dim j with j + hd/2 at its
 * own frequency); the r query heads of a KV head may swap as wholes ({@code query}), which moves
 * their output-projection columns alike; value dims may move ({@code value}), which moves the
 * same dims of every one of their query heads' output-projection columns.
 */
final class LlamaGraph {
    static final String EMBED = "embed.residual";
    static final String QUERY = "query";
    static final String VALUE = "value";

    private LlamaGraph() {
    }

    /** The spaces of decoder layer i. */
    record LayerSpaces(String q, String k, String v, String context, String attnOut, String mid, String mlp,
                       String mlpOut, String out) {
        static LayerSpaces of(int i) {
            String s = "layer." + i;
            return new LayerSpaces(s + ".attn.q", s + ".attn.k", s + ".attn.v", s + ".attn.context", s + ".attn.out",
                    s + ".attn.residual", s + ".mlp", s + ".mlp.out", s + ".residual");
        }
    }

    static String residualBefore(int layer) {
        return layer == 0 ? EMBED : LayerSpaces.of(layer - 1).out();
    }

    static ModelGraph of(LlamaConfig c) {
        List<NeuronSpace> spaces = new ArrayList<>();
        List<TensorSpec> tensors = new ArrayList<>();
        List<Tap> taps = new ArrayList<>();
        List<Join> joins = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        int d = c.hidden();
        int hd = c.headDim();
        int g = c.kvHeads();
        int qWidth = c.heads() * hd;
        int kvWidth = g * hd;

        spaces.add(NeuronSpace.flat(EMBED, d));
        tensors.add(spec(LlamaNames.EMBED, new long[] {c.vocabSize(), d}, null, EMBED));
        taps.add(new Tap("embed", EMBED));

        for (int i = 0; i < c.layers(); i++) {
            String in = residualBefore(i);
            LayerSpaces s = LayerSpaces.of(i);
            LlamaNames.Layer n = LlamaNames.Layer.of(i);
            int firstSpace = spaces.size();
            int firstTensor = tensors.size();
            spaces.add(new NeuronSpace(s.q(), qWidth, g));
            spaces.add(new NeuronSpace(s.k(), kvWidth, g));
            spaces.add(new NeuronSpace(s.v(), kvWidth, g));
            spaces.add(new NeuronSpace(s.context(), qWidth, g));
            spaces.add(NeuronSpace.flat(s.attnOut(), d));
            spaces.add(NeuronSpace.flat(s.mid(), d));
            spaces.add(NeuronSpace.flat(s.mlp(), c.intermediate()));
            spaces.add(NeuronSpace.flat(s.mlpOut(), d));
            spaces.add(NeuronSpace.flat(s.out(), d));

            tensors.add(spec(n.inputNorm(), new long[] {d}, in));
            tensors.add(spec(n.q(), new long[] {qWidth, d}, s.q(), in));
            tensors.add(spec(n.k(), new long[] {kvWidth, d}, s.k(), in));
            tensors.add(spec(n.v(), new long[] {kvWidth, d}, s.v(), in));
            tensors.add(spec(n.o(), new long[] {d, qWidth}, s.attnOut(), s.context()));
            tensors.add(spec(n.postNorm(), new long[] {d}, s.mid()));
            tensors.add(spec(n.gate(), new long[] {c.intermediate(), d}, s.mlp(), s.mid()));
            tensors.add(spec(n.up(), new long[] {c.intermediate(), d}, s.mlp(), s.mid()));
            tensors.add(spec(n.down(), new long[] {d, c.intermediate()}, s.mlpOut(), s.mlp()));

            joins.add(new Join(s.mid(), in, s.attnOut()));
            joins.add(new Join(s.out(), s.mid(), s.mlpOut()));

            String t = "layer." + i;
            taps.add(new Tap(t + ".attn.q", s.q()));
            taps.add(new Tap(t + ".attn.k", s.k()));
            taps.add(new Tap(t + ".attn.v", s.v()));
            taps.add(new Tap(t + ".attn.context", s.context()));
            taps.add(new Tap(t + ".attn.out", s.attnOut()));
            taps.add(new Tap(t + ".attn.residual", s.mid()));
            taps.add(new Tap(t + ".mlp.act", s.mlp()));
            taps.add(new Tap(t + ".mlp.out", s.mlpOut()));
            taps.add(new Tap(t + ".residual", s.out()));
            layers.add(Layer.of(i, spaces.subList(firstSpace, spaces.size()),
                    tensors.subList(firstTensor, tensors.size())));
        }
        String last = residualBefore(c.layers());
        tensors.add(spec(LlamaNames.NORM, new long[] {d}, last));
        if (!c.tied()) {
            tensors.add(spec(LlamaNames.LM_HEAD, new long[] {c.vocabSize(), d}, null, last));
        }
        return new ModelGraph(spaces, tensors, taps, joins, layers);
    }

    /** Per layer, the G KV heads with their query heads; inside a head, as the class comment says. */
    static List<HeadGroup> headGroups(LlamaConfig c) {
        int hd = c.headDim();
        int r = c.groupSize();
        List<HeadGroup> groups = new ArrayList<>();
        for (int i = 0; i < c.layers(); i++) {
            LayerSpaces s = LayerSpaces.of(i);
            groups.add(new HeadGroup("layer." + i + ".attn", c.kvHeads(), List.of(s.q(), s.k(), s.v(), s.context()),
                    Map.of(s.q(), List.of(HeadFactor.free(QUERY, r), HeadFactor.fixed(hd)),
                            s.k(), List.of(HeadFactor.fixed(hd)),
                            s.v(), List.of(HeadFactor.free(VALUE, hd)),
                            s.context(), List.of(HeadFactor.free(QUERY, r), HeadFactor.free(VALUE, hd)))));
        }
        return groups;
    }
}
