package transfuse.arch.bert;

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
 * BERT's neuron spaces (post-LN). As for ViT, the residual stream gets one space per join so the
 * engine's residual policy can act at each add; in BERT each add is followed by a LayerNorm,
 * whose parameters live in the space of the sum and whose output stays in it (a LayerNorm
 * commutes with a permutation of its features and parameters):
 * <pre>
 * embed.residual                      word + position + token-type embeddings, then LayerNorm
 * layer.N.attn.qk      heads x hd     query and key rows (Q and K move together per head)
 * layer.N.attn.v       heads x hd     value rows, output projection columns
 * layer.N.attn.out                    output projection rows (the attention branch)
 * layer.N.attn.residual               LN(skip + attention branch)        (join)
 * layer.N.mlp                         intermediate (after exact GELU)
 * layer.N.mlp.out                     MLP output rows (the MLP branch)
 * layer.N.residual                    LN(attn.residual + MLP branch)      (join; enters layer N+1)
 * pooler                              tanh(dense([CLS])), classification only
 * mlm.transform                       LN(GELU(dense(h))), MLM with an untied decoder only
 * </pre>
 * With a tied decoder the MLM transform's output meets the word embeddings' feature axis, so it
 * lives in {@code embed.residual} itself. Vocabulary, position and token-type axes belong to no
 * space.
 */
final class BertGraph {
    static final String EMBED = "embed.residual";
    static final String POOLER = "pooler";
    static final String MLM_TRANSFORM = "mlm.transform";

    private BertGraph() {
    }

    static String residualBefore(int layer) {
        return layer == 0 ? EMBED : "layer." + (layer - 1) + ".residual";
    }

    static ModelGraph of(BertConfig c) {
        List<NeuronSpace> spaces = new ArrayList<>();
        List<TensorSpec> tensors = new ArrayList<>();
        List<Tap> taps = new ArrayList<>();
        List<Join> joins = new ArrayList<>();
        List<Layer> layers = new ArrayList<>();
        int d = c.hidden();

        spaces.add(NeuronSpace.flat(EMBED, d));
        tensors.add(spec(BertNames.WORD, new long[] {c.vocabSize(), d}, null, EMBED));
        tensors.add(spec(BertNames.POSITION, new long[] {c.maxPositions(), d}, null, EMBED));
        tensors.add(spec(BertNames.TOKEN_TYPE, new long[] {c.typeVocabSize(), d}, null, EMBED));
        norm(tensors, BertNames.EMBED_NORM, d, EMBED);
        taps.add(new Tap("embed", EMBED));

        for (int i = 0; i < c.layers(); i++) {
            String l = BertNames.layer(i);
            String in = residualBefore(i);
            int firstSpace = spaces.size();
            int firstTensor = tensors.size();
            EncoderLayerSpaces ls = EncoderLayerSpaces.of(i);
            ls.declareSpaces(spaces, d, c.heads(), c.intermediate());
            String qk = ls.qk(), v = ls.v(), attnOut = ls.attnOut(), mid = ls.mid(), mlp = ls.mlp(), mlpOut = ls.mlpOut();

            linear(tensors, l + ".attention.self.query", d, d, qk, in);
            linear(tensors, l + ".attention.self.key", d, d, qk, in);
            linear(tensors, l + ".attention.self.value", d, d, v, in);
            linear(tensors, l + ".attention.output.dense", d, d, attnOut, v);
            norm(tensors, l + ".attention.output.LayerNorm", d, mid);
            linear(tensors, l + ".intermediate.dense", c.intermediate(), d, mlp, mid);
            linear(tensors, l + ".output.dense", d, c.intermediate(), mlpOut, mlp);
            norm(tensors, l + ".output.LayerNorm", d, ls.out());

            ls.declareJoins(joins, in);
            ls.declareTaps(taps);
            layers.add(Layer.of(i, spaces.subList(firstSpace, spaces.size()),
                    tensors.subList(firstTensor, tensors.size())));
        }
        String last = residualBefore(c.layers());
        switch (c.task()) {
            case CLASSIFICATION -> {
                spaces.add(NeuronSpace.flat(POOLER, d));
                linear(tensors, BertNames.POOLER, d, d, POOLER, last);
                taps.add(new Tap(POOLER, POOLER));
                tensors.add(spec(BertNames.CLASSIFIER + ".weight", new long[] {c.numLabels(), d}, null, POOLER));
                tensors.add(spec(BertNames.CLASSIFIER + ".bias", new long[] {c.numLabels()}, (String) null));
            }
            case MASKED_LM -> {
                String t = c.tiedDecoder() ? EMBED : MLM_TRANSFORM;
                if (!c.tiedDecoder()) {
                    spaces.add(NeuronSpace.flat(MLM_TRANSFORM, d));
                }
                linear(tensors, BertNames.MLM_DENSE, d, d, t, last);
                norm(tensors, BertNames.MLM_NORM, d, t);
                taps.add(new Tap(MLM_TRANSFORM, t));
                if (!c.tiedDecoder()) {
                    tensors.add(spec(BertNames.MLM_DECODER, new long[] {c.vocabSize(), d}, null, t));
                }
                tensors.add(spec(BertNames.MLM_BIAS, new long[] {c.vocabSize()}, (String) null));
            }
            case ENCODER -> {
                // no head
            }
        }
        return new ModelGraph(spaces, tensors, taps, joins, layers);
    }

    static List<HeadGroup> headGroups(BertConfig c) {
        return EncoderDeclarations.attentionHeadGroups(c.layers(), c.heads());
    }
}
