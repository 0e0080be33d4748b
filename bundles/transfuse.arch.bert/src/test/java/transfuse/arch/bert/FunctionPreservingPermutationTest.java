package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.TokenWindow;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.testkit.SpacePermutation;

/**
 * The decisive check of BERT's neuron-space declaration: permuting every tensor axis by the
 * random permutation of the space the declaration assigns it (residual spaces linked by joins
 * alike, the post-LN LayerNorms with them, MLP spaces, heads as wholes with one head order per
 * layer and independent orders inside each head, the pooler and untied MLM transform) must leave
 * the model's outputs unchanged; and each deliberately wrong declaration must be caught.
 * Tolerance 1e-5 relative: float32 sums in a different order differ by a few ulps per layer.
 */
class FunctionPreservingPermutationTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;
    private static final int VOCAB = 37;

    @ParameterizedTest(name = "d={0} layers={1} heads={2} mlp={3} task={4} tied={5}")
    @CsvSource({
            "8, 1, 2, 16, MASKED_LM, true",
            "12, 2, 3, 20, MASKED_LM, false",
            "16, 3, 4, 32, CLASSIFICATION, true",
            "24, 2, 6, 40, CLASSIFICATION, true",
            "20, 2, 5, 24, ENCODER, true",
    })
    void permutingEveryDeclaredAxisPreservesTheFunction(int d, int layers, int heads, int mlp, BertTask task,
                                                        boolean tied) {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(d, layers, heads, mlp, VOCAB, task);
        if (!tied) {
            config = Berts.untied(config);
        }
        Map<String, Tensor> w = randomised(bert.initialize(config, 11), 3);
        Tensor[] x = Berts.idsAndMask(5, 9, VOCAB, d);
        ModelGraph graph = bert.graph(config);
        SpacePermutation perm = new SpacePermutation(graph, bert.headGroups(config), new Random(d * 31L + layers));
        Map<String, Tensor> permuted = perm.apply(graph, w);

        ForwardResult a = forward(bert, config, w, x, task != BertTask.ENCODER);
        ForwardResult b = forward(bert, config, permuted, x, task != BertTask.ENCODER);
        if (task != BertTask.ENCODER) {
            assertClose(a.logits().toFloats(), b.logits().toFloats(), "logits");
        }
        // The last hidden state lives in the last residual space: it comes out permuted by that space's map.
        String last = BertGraph.residualBefore(layers);
        float[] expected = SpacePermutation.permuteAxis(a.hidden().toFloats(), a.hidden().shape(), 2, perm.of(last));
        assertClose(expected, b.hidden().toFloats(), "hidden state");
        // A tap reads its space's neurons: the MLP activations come out permuted by the MLP map.
        Tensor tapA = a.taps().get("layer.0.mlp.act");
        Tensor tapB = b.taps().get("layer.0.mlp.act");
        assertClose(SpacePermutation.permuteAxis(tapA.toFloats(), tapA.shape(), 1, perm.of("layer.0.mlp")),
                tapB.toFloats(), "mlp tap");
    }

    @Test
    void tapsKeepOnlyUnpaddedTokensInsideTheWindow() {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(8, 1, 2, 16, VOCAB, BertTask.CLASSIFICATION);
        Tensor[] x = Berts.idsAndMask(5, 9, VOCAB, 1); // sample i has max(2, 9 - i) real tokens
        ForwardResult all = bert.forward(config, bert.initialize(config, 1), new ForwardRequest(
                Map.of("input_ids", x[0], "attention_mask", x[1]), false, false, Set.of("embed", "pooler"),
                TokenWindow.ALL, 2));
        assertEquals(9 + 8 + 7 + 6 + 5, all.taps().get("embed").shape()[0]);
        assertEquals(5, all.taps().get("pooler").shape()[0]);
        ForwardResult first = bert.forward(config, bert.initialize(config, 1), new ForwardRequest(
                Map.of("input_ids", x[0], "attention_mask", x[1]), false, false, Set.of("embed"), TokenWindow.FIRST, 2));
        assertEquals(5, first.taps().get("embed").shape()[0]);
    }

    @Test
    void aPermutationThatIgnoresTheHeadGroupsChangesTheFunction() {
        // Q/K and V heads permuted in different orders pair each attention pattern with the wrong values.
        assertBreaks(BertTask.CLASSIFICATION, (graph, groups) -> new Declaration(graph, List.of()));
    }

    @Test
    void aDeclarationThatPutsKeyRowsInTheValueSpaceChangesTheFunction() {
        assertBreaks(BertTask.CLASSIFICATION, retag("bert.encoder.layer.0.attention.self.key.weight",
                List.of("layer.0.attn.v", "embed.residual")));
    }

    @Test
    void aDeclarationWithoutTheResidualJoinsChangesTheFunction() {
        // Without joins the residual spaces are permuted independently, which a residual add does not allow.
        assertBreaks(BertTask.MASKED_LM, (graph, groups) -> new Declaration(
                new ModelGraph(graph.spaces(), graph.tensors(), graph.taps(), List.of()), groups));
    }

    @Test
    void aDeclarationThatForgetsThePostLnScaleChangesTheFunction() {
        // The LayerNorm after the attention add scales features one by one: its parameters must move with them.
        assertBreaks(BertTask.CLASSIFICATION, retag("bert.encoder.layer.1.attention.output.LayerNorm.weight",
                java.util.Arrays.asList((String) null)));
    }

    @Test
    void aDeclarationThatForgetsTheMlpInputAxisChangesTheFunction() {
        assertBreaks(BertTask.MASKED_LM, retag("bert.encoder.layer.1.output.dense.weight",
                java.util.Arrays.asList("layer.1.mlp.out", null)));
    }

    @Test
    void aDeclarationThatLeavesTheWordEmbeddingsOutOfTheResidualSpaceChangesTheFunction() {
        assertBreaks(BertTask.MASKED_LM, retag("bert.embeddings.word_embeddings.weight",
                java.util.Arrays.asList(null, null)));
    }

    private record Declaration(ModelGraph graph, List<HeadGroup> groups) {
    }

    private interface Corruption {
        Declaration apply(ModelGraph graph, List<HeadGroup> groups);
    }

    private static Corruption retag(String tensor, List<String> axes) {
        return (graph, groups) -> {
            List<TensorSpec> tensors = new ArrayList<>();
            for (TensorSpec t : graph.tensors()) {
                tensors.add(t.name().equals(tensor) ? new TensorSpec(t.name(), t.shape(), axes) : t);
            }
            if (tensors.equals(graph.tensors())) {
                throw new AssertionError("no tensor " + tensor + " to corrupt");
            }
            return new Declaration(new ModelGraph(graph.spaces(), tensors, graph.taps(), graph.joins()), groups);
        };
    }

    private static void assertBreaks(BertTask task, Corruption corruption) {
        BertArchitecture bert = Berts.bert();
        ModelConfig config = Berts.tiny(16, 2, 4, 24, VOCAB, task);
        Map<String, Tensor> w = randomised(bert.initialize(config, 2), 4);
        Tensor[] x = Berts.idsAndMask(4, 7, VOCAB, 9);
        Declaration wrong = corruption.apply(bert.graph(config), bert.headGroups(config));
        SpacePermutation perm = new SpacePermutation(wrong.graph(), wrong.groups(), new Random(1));
        float[] a = forward(bert, config, w, x, true).logits().toFloats();
        float[] b = forward(bert, config, perm.apply(wrong.graph(), w), x, true).logits().toFloats();
        double rel = Berts.maxAbsDiff(a, b) / Berts.maxAbs(a);
        assertTrue(rel > 1e-3, "the wrong declaration went unnoticed (relative difference " + rel + ")");
    }

    private static ForwardResult forward(BertArchitecture bert, ModelConfig config, Map<String, Tensor> w, Tensor[] x,
                                         boolean logits) {
        return bert.forward(config, w, new ForwardRequest(Map.of("input_ids", x[0], "attention_mask", x[1]), logits,
                true, Set.of("layer.0.mlp.act"), TokenWindow.ALL, 2));
    }

    /** Fresh init has zero biases and unit norms, which hide axis mistakes; perturb every tensor. */
    static Map<String, Tensor> randomised(Map<String, Tensor> w, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        w.forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (r.nextGaussian() * 0.3);
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double rel = Berts.maxAbsDiff(expected, actual) / Math.max(Berts.maxAbs(expected), 1e-12);
        assertTrue(rel <= RELATIVE_TOLERANCE, what + ": max relative difference " + rel);
    }
}
