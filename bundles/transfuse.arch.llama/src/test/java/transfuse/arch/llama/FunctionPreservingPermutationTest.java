package transfuse.arch.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadFactor;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.TokenWindow;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.testkit.SpacePermutation;

/**
 * The decisive check of Llama's neuron-space declaration: permuting every tensor axis by the random
 * permutation of the space the declaration assigns it (the residual stream with every RMSNorm
 * weight in it, gate and up rows with down columns, KV heads carrying their query heads, query
 * heads swapped inside their KV group with their output-projection columns, value dims with the
 * same columns of every query head reading them, no Q/K dim) must leave the logits unchanged; and
 * each deliberately wrong declaration, above all a Q/K permutation inside a head, must be caught.
 * Tolerance 1e-5 relative: float32 sums in another order differ by a few ulps per layer, while a
 * broken symmetry changes logits by 1e-2 or more (asserted above 1e-3).
 */
class FunctionPreservingPermutationTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;
    private static final int VOCAB = 37;

    @ParameterizedTest(name = "d={0} layers={1} heads={2} kv={3} mlp={4} tied={5}")
    @CsvSource({
            "16, 1, 2, 2, 24, false",
            "32, 2, 4, 2, 40, true",
            "24, 2, 6, 3, 40, false",
            "32, 2, 4, 1, 48, true",
            "48, 3, 6, 2, 64, false",
    })
    void permutingEveryDeclaredAxisPreservesTheFunction(int d, int layers, int heads, int kv, int mlp, boolean tied) {
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = Llamas.tiny(d, layers, heads, kv, mlp, VOCAB, tied);
        Map<String, Tensor> w = Llamas.randomised(llama.initialize(config, 11), 3);
        Tensor[] x = Llamas.idsAndMask(5, 9, VOCAB, d);
        ModelGraph graph = llama.graph(config);
        SpacePermutation perm = new SpacePermutation(graph, llama.headGroups(config), new Random(d * 31L + layers));
        Map<String, Tensor> permuted = perm.apply(graph, w);

        ForwardResult a = forward(llama, config, w, x);
        ForwardResult b = forward(llama, config, permuted, x);
        assertClose(a.logits().toFloats(), b.logits().toFloats(), "logits");
        // The last hidden state lives in the last residual space: it comes out permuted by that space's map.
        String last = LlamaGraph.residualBefore(layers);
        float[] expected = SpacePermutation.permuteAxis(a.hidden().toFloats(), a.hidden().shape(), 2, perm.of(last));
        assertClose(expected, b.hidden().toFloats(), "hidden state");
        // A tap reads its space's neurons in the declared order (query heads head-major inside their KV group).
        for (String[] tap : new String[][] {{"layer.0.mlp.act", "layer.0.mlp"}, {"layer.0.attn.q", "layer.0.attn.q"},
                {"layer.0.attn.context", "layer.0.attn.context"}}) {
            Tensor tapA = a.taps().get(tap[0]);
            assertClose(SpacePermutation.permuteAxis(tapA.toFloats(), tapA.shape(), 1, perm.of(tap[1])),
                    b.taps().get(tap[0]).toFloats(), tap[0] + " tap");
        }
    }

    @Test
    void queryHeadsMoveInsideTheirKvGroupAndQkDimsNeverMove() {
        // The declaration is not merely safe by being rigid: the drawn maps do swap query heads
        // inside a KV group (4 heads on 2 KV heads: 2 per group) and value dims, and never a Q/K dim.
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = Llamas.tiny(32, 1, 4, 2, 40, VOCAB, false);
        int hd = 8;
        boolean swappedInsideGroup = false;
        boolean movedValueDim = false;
        for (long seed = 0; seed < 20; seed++) {
            SpacePermutation perm = new SpacePermutation(llama.graph(config), llama.headGroups(config), new Random(seed));
            int[] q = perm.of("layer.0.attn.q");
            int[] k = perm.of("layer.0.attn.k");
            int[] v = perm.of("layer.0.attn.v");
            for (int i = 0; i < q.length; i++) {
                assertEquals(i % hd, q[i] % hd, "a query dim moved inside its head");
                swappedInsideGroup |= (q[i] / hd) % 2 != (i / hd) % 2;
            }
            for (int i = 0; i < k.length; i++) {
                assertEquals(i % hd, k[i] % hd, "a key dim moved inside its head");
                movedValueDim |= v[i] % hd != i % hd;
            }
        }
        assertTrue(swappedInsideGroup && movedValueDim, "no draw swapped query heads in a group or moved a value dim");
    }

    @Test
    void tapsKeepOnlyUnpaddedTokensInsideTheWindow() {
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = Llamas.tiny(8, 1, 2, 1, 16, VOCAB, true);
        Tensor[] x = Llamas.idsAndMask(5, 9, VOCAB, 1); // sample i has max(2, 9 - i) real tokens
        ForwardResult all = llama.forward(config, llama.initialize(config, 1), new ForwardRequest(
                Map.of("input_ids", x[0], "attention_mask", x[1]), false, false, Set.of("embed", "layer.0.attn.k"),
                TokenWindow.ALL, 2));
        assertEquals(9 + 8 + 7 + 6 + 5, all.taps().get("embed").shape()[0]);
        assertEquals(4, all.taps().get("layer.0.attn.k").shape()[1]);
        ForwardResult first = llama.forward(config, llama.initialize(config, 1), new ForwardRequest(
                Map.of("input_ids", x[0], "attention_mask", x[1]), false, false, Set.of("embed"), TokenWindow.FIRST, 2));
        assertEquals(5, first.taps().get("embed").shape()[0]);
    }

    @Test
    void aPermutationOfQkDimsInsideAHeadChangesTheFunction() {
        // Without head factors every member is free inside its heads (ViT's and BERT's rule): rotary
        // embeddings rotate dim j with j + hd/2 at frequency j, so moving a Q/K dim breaks the scores.
        assertBreaks((graph, groups) -> new Declaration(graph, withFactors(groups, (g, s, r, hd) ->
                s.endsWith(".v") ? null : s.endsWith(".q") || s.endsWith(".context")
                        ? List.of(HeadFactor.free(LlamaGraph.QUERY, r), HeadFactor.free(s + ".dims", hd))
                        : List.of(HeadFactor.free(s + ".dims", hd)))));
    }

    @Test
    void qkPermutationsThatKeepRotationPairsButNotFrequenciesChangeTheFunction() {
        // Moving dim j together with its partner j + hd/2 keeps the pairs but gives them another frequency.
        assertBreaks((graph, groups) -> new Declaration(graph, withFactors(groups, (g, s, r, hd) ->
                s.endsWith(".q") ? List.of(HeadFactor.free(LlamaGraph.QUERY, r), HeadFactor.fixed(2),
                        HeadFactor.free("pairs", hd / 2))
                        : s.endsWith(".k") ? List.of(HeadFactor.fixed(2), HeadFactor.free("pairs", hd / 2)) : null)));
    }

    @Test
    void kvHeadsPermutedWithoutTheirQueryHeadsChangeTheFunction() {
        // Query and output-projection heads in a group of their own: KV heads move away from the queries reading them.
        assertBreaks((graph, groups) -> {
            List<HeadGroup> split = new ArrayList<>();
            for (HeadGroup g : groups) {
                String q = g.spaces().get(0), k = g.spaces().get(1), v = g.spaces().get(2), c = g.spaces().get(3);
                split.add(new HeadGroup(g.name() + ".kv", g.heads(), List.of(k, v),
                        Map.of(k, g.inside().get(k), v, g.inside().get(v))));
                split.add(new HeadGroup(g.name() + ".q", g.heads(), List.of(q, c),
                        Map.of(q, g.inside().get(q), c, g.inside().get(c))));
            }
            return new Declaration(graph, split);
        });
    }

    @Test
    void valueDimsNotTiedToTheOutputProjectionColumnsChangeTheFunction() {
        assertBreaks((graph, groups) -> new Declaration(graph, withFactors(groups, (g, s, r, hd) ->
                s.endsWith(".context") ? List.of(HeadFactor.free(LlamaGraph.QUERY, r), HeadFactor.free("other", hd))
                        : g.inside().get(s))));
    }

    @Test
    void aDeclarationWithoutTheResidualJoinsChangesTheFunction() {
        assertBreaks((graph, groups) -> new Declaration(
                new ModelGraph(graph.spaces(), graph.tensors(), graph.taps(), List.of(), graph.layers()), groups));
    }

    @Test
    void aDeclarationThatForgetsAnRmsNormWeightChangesTheFunction() {
        // RMSNorm scales features one by one: its weight must move with the residual stream.
        assertBreaks(retag("model.layers.1.post_attention_layernorm.weight", Arrays.asList((String) null)));
    }

    @Test
    void upRowsOutsideTheGateSpaceChangeTheFunction() {
        // silu(gate) * up multiplies feature by feature: gate and up rows share one space.
        assertBreaks(retag("model.layers.0.mlp.up_proj.weight", Arrays.asList(null, "layer.0.attn.residual")));
    }

    private interface Factors {
        List<HeadFactor> of(HeadGroup g, String space, int groupSize, int headDim);
    }

    /** The groups with each member's factors as given (null: free inside its heads). */
    private static List<HeadGroup> withFactors(List<HeadGroup> groups, Factors f) {
        List<HeadGroup> out = new ArrayList<>();
        for (HeadGroup g : groups) {
            Map<String, List<HeadFactor>> inside = new LinkedHashMap<>();
            for (String s : g.spaces()) {
                List<HeadFactor> factors = f.of(g, s, GROUP_SIZE, HEAD_DIM);
                if (factors != null) {
                    inside.put(s, factors);
                }
            }
            out.add(new HeadGroup(g.name(), g.heads(), g.spaces(), inside));
        }
        return out;
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
            return new Declaration(new ModelGraph(graph.spaces(), tensors, graph.taps(), graph.joins(), graph.layers()),
                    groups);
        };
    }

    /** The model the corruptions are tried on: 4 query heads of 8 on 2 KV heads, 2 layers. */
    private static final int GROUP_SIZE = 2;
    private static final int HEAD_DIM = 8;

    private static void assertBreaks(Corruption corruption) {
        LlamaArchitecture llama = Llamas.llama();
        ModelConfig config = Llamas.tiny(32, 2, 4, 2, 40, VOCAB, false);
        Map<String, Tensor> w = Llamas.randomised(llama.initialize(config, 2), 4);
        Tensor[] x = Llamas.idsAndMask(4, 9, VOCAB, 9);
        Declaration wrong = corruption.apply(llama.graph(config), llama.headGroups(config));
        float[] a = forward(llama, config, w, x).logits().toFloats();
        double worst = 0;
        // The smallest change over a few draws: a corruption must break every draw, not a lucky one.
        double least = Double.MAX_VALUE;
        for (long seed = 1; seed <= 3; seed++) {
            SpacePermutation perm = new SpacePermutation(wrong.graph(), wrong.groups(), new Random(seed));
            float[] b = forward(llama, config, perm.apply(wrong.graph(), w), x).logits().toFloats();
            double rel = Llamas.relative(a, b, null, VOCAB);
            worst = Math.max(worst, rel);
            least = Math.min(least, rel);
        }
        String test = StackWalker.getInstance().walk(f -> f.skip(1).findFirst().orElseThrow().getMethodName());
        System.out.println("llama wrong declaration " + test + ": relative logit change " + least + " .. " + worst);
        assertTrue(least > 1e-3, "the wrong declaration went unnoticed (relative difference " + least + ")");
    }

    private static ForwardResult forward(LlamaArchitecture llama, ModelConfig config, Map<String, Tensor> w, Tensor[] x) {
        return llama.forward(config, w, new ForwardRequest(Map.of("input_ids", x[0], "attention_mask", x[1]), true,
                true, Set.of("layer.0.mlp.act", "layer.0.attn.q", "layer.0.attn.context"), TokenWindow.ALL, 2));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        double rel = Llamas.relative(expected, actual, null, 1);
        assertTrue(rel <= RELATIVE_TOLERANCE, what + ": max relative difference " + rel);
    }
}
