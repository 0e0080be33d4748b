package transfuse.arch.vit;

import transfuse.testkit.SpacePermutation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.TokenWindow;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * The decisive check of the neuron-space declaration: permuting every tensor axis by the random
 * permutation of the space the declaration assigns it (residual spaces linked by joins alike, MLP
 * spaces, heads as wholes with one head order per layer and independent orders inside each head)
 * must leave the model's function unchanged; and a wrong declaration must be caught.
 */
class FunctionPreservingPermutationTest {
    private static final double RELATIVE_TOLERANCE = 1e-5;

    @ParameterizedTest(name = "d={0} layers={1} heads={2} mlp={3} image={4} patch={5} channels={6}")
    @CsvSource({
            "8, 1, 2, 16, 8, 4, 1",
            "12, 2, 3, 20, 6, 3, 2",
            "16, 3, 4, 32, 8, 2, 3",
            "24, 2, 6, 40, 9, 3, 1",
    })
    void permutingEveryDeclaredAxisPreservesLogitsAndHiddenState(int d, int layers, int heads, int mlp, int image,
                                                                  int patch, int channels) {
        VitArchitecture vit = Vits.vit();
        ModelConfig config = Vits.tiny(d, layers, heads, mlp, image, patch, channels, 5);
        Map<String, Tensor> w = randomised(vit.initialize(config, 11), 3);
        Tensor x = Vits.images(6, channels, image, 5);
        ModelGraph graph = vit.graph(config);
        SpacePermutation perm = new SpacePermutation(graph, vit.headGroups(config), new Random(d * 31L + layers));
        Map<String, Tensor> permuted = perm.apply(graph, w);

        ForwardResult a = forward(vit, config, w, x);
        ForwardResult b = forward(vit, config, permuted, x);
        assertClose(a.logits().toFloats(), b.logits().toFloats(), "logits");

        // The last hidden state lives in the last residual space: it comes out permuted by that space's map.
        String last = VitGraph.residualBefore(layers);
        float[] expected = SpacePermutation.permuteAxis(a.hidden().toFloats(), a.hidden().shape(), 2, perm.of(last));
        assertClose(expected, b.hidden().toFloats(), "hidden state");

        // A tap reads its space's neurons: the MLP activations come out permuted by the MLP map.
        Tensor tapA = a.taps().get("layer.0.mlp.act");
        Tensor tapB = b.taps().get("layer.0.mlp.act");
        assertClose(SpacePermutation.permuteAxis(tapA.toFloats(), tapA.shape(), 1, perm.of("layer.0.mlp")),
                tapB.toFloats(), "mlp tap");
    }

    @Test
    void aPermutationThatIgnoresTheHeadGroupsChangesTheFunction() {
        // Q/K and V heads permuted in different orders pair each attention pattern with the wrong values.
        assertBreaks((graph, groups) -> new Declaration(graph, List.of()));
    }

    @Test
    void aDeclarationThatPutsKeyRowsInTheValueSpaceChangesTheFunction() {
        assertBreaks((graph, groups) -> {
            List<TensorSpec> tensors = new ArrayList<>();
            for (TensorSpec t : graph.tensors()) {
                if (t.name().equals("vit.encoder.layer.0.attention.attention.key.weight")) {
                    t = new TensorSpec(t.name(), t.shape(), List.of("layer.0.attn.v", "embed.residual"));
                }
                tensors.add(t);
            }
            return new Declaration(new ModelGraph(graph.spaces(), tensors, graph.taps(), graph.joins()), groups);
        });
    }

    @Test
    void aDeclarationWithoutTheResidualJoinsChangesTheFunction() {
        // Without joins the residual spaces are permuted independently, which a residual add does not allow.
        assertBreaks((graph, groups) -> new Declaration(
                new ModelGraph(graph.spaces(), graph.tensors(), graph.taps(), List.of()), groups));
    }

    @Test
    void aDeclarationThatForgetsTheMlpInputAxisChangesTheFunction() {
        assertBreaks((graph, groups) -> {
            List<TensorSpec> tensors = new ArrayList<>();
            for (TensorSpec t : graph.tensors()) {
                if (t.name().equals("vit.encoder.layer.1.output.dense.weight")) {
                    t = new TensorSpec(t.name(), t.shape(), java.util.Arrays.asList("layer.1.mlp.out", null));
                }
                tensors.add(t);
            }
            return new Declaration(new ModelGraph(graph.spaces(), tensors, graph.taps(), graph.joins()), groups);
        });
    }

    private record Declaration(ModelGraph graph, List<HeadGroup> groups) {
    }

    private interface Corruption {
        Declaration apply(ModelGraph graph, List<HeadGroup> groups);
    }

    private static void assertBreaks(Corruption corruption) {
        VitArchitecture vit = Vits.vit();
        ModelConfig config = Vits.tiny(16, 2, 4, 24, 8, 4, 1, 5);
        Map<String, Tensor> w = randomised(vit.initialize(config, 2), 4);
        Tensor x = Vits.images(4, 1, 8, 9);
        Declaration wrong = corruption.apply(vit.graph(config), vit.headGroups(config));
        SpacePermutation perm = new SpacePermutation(wrong.graph(), wrong.groups(), new Random(1));
        float[] a = forward(vit, config, w, x).logits().toFloats();
        float[] b = forward(vit, config, perm.apply(wrong.graph(), w), x).logits().toFloats();
        double rel = Vits.maxAbsDiff(a, b) / Vits.maxAbs(a);
        assertTrue(rel > 1e-3, "the wrong declaration went unnoticed (relative difference " + rel + ")");
    }

    private static ForwardResult forward(VitArchitecture vit, ModelConfig config, Map<String, Tensor> w, Tensor x) {
        return vit.forward(config, w, new ForwardRequest(Map.of("pixel_values", x), true, true,
                Set.of("layer.0.mlp.act"), TokenWindow.ALL, 4));
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
        assertArrayEquals(new long[] {expected.length}, new long[] {actual.length});
        double rel = Vits.maxAbsDiff(expected, actual) / Math.max(Vits.maxAbs(expected), 1e-12);
        assertTrue(rel <= RELATIVE_TOLERANCE, what + ": max relative difference " + rel);
    }
}
