package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.testkit.SpacePermutation;

/**
 * The decisive property of alignment: fusing a model with a randomly, function-preservingly
 * permuted copy of itself must give the model back, because a correct alignment undoes the
 * permutation and the average of two equal models is that model.
 */
class FunctionPreservationTest {
    /** float32 weights pass through float64 maps and are rounded back: far below this. */
    private static final double EXACT = 1e-5;

    @TempDir
    static Path tmp;
    static ModelConfig config;
    static Map<String, Tensor> original;
    static Path anchor;
    static Path permuted;
    static Path permuted2;

    @BeforeAll
    static void models() {
        config = TestModels.config(16, 2, 4, 32);
        original = TestModels.weights(config, 7);
        anchor = TestModels.write(tmp.resolve("a"), config, original);
        var graph = TestModels.vit().graph(config);
        var groups = TestModels.vit().headGroups(config);
        permuted = TestModels.write(tmp.resolve("b"), config, new SpacePermutation(graph, groups, new Random(3)).apply(graph, original));
        permuted2 = TestModels.write(tmp.resolve("c"), config, new SpacePermutation(graph, groups, new Random(5)).apply(graph, original));
    }

    private static FusionResult fuse(List<Path> models, Map<String, String> options, String out) {
        return new FusionEngine(TestModels.services()).fuse(models, TestModels.options(options, models.size()),
                tmp.resolve(out), ProgressListener.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "perm, heads permute, residual first; method=perm",
            "perm, residual from all taps; method=perm,residual-perm=all",
            "perm, residual from the last tap; method=perm,residual-perm=last",
            "perm, heads ignored (the true permutation is still the best whole-space match); method=perm,heads=ignore",
            "ot with emd from activations; method=ot,solver=emd",
            "ot with emd from activations, joint Q/K; method=ot,solver=emd,qk=joint",
            "ot with emd from activations, weighted-matrix residual; method=ot,solver=emd,residual=weighted-matrix",
            "ot with emd from weights; method=ot,solver=emd,align=weights",
            "ot with emd from activations, one map for the residual stream; method=ot,solver=emd,residual=all",
            "ot with emd from weights, one map for the residual stream; method=ot,solver=emd,residual=all,align=weights",
            "ot with emd from activations, heads as wholes; method=ot,solver=emd,qk=joint,heads=permute",
            "ot with emd from weights, heads as wholes, one map for the residual stream; method=ot,solver=emd,qk=joint,heads=permute,residual=all,align=weights",
    })
    void fusingWithAPermutedCopyGivesTheModelBack(String what, String spec) {
        Map<String, String> options = parse(spec);
        if (!options.get("align").equals("weights")) {
            options.put("data", "digits");
            options.put("samples", "200");
        }
        String out = "out-" + Integer.toHexString(spec.hashCode());
        fuse(List.of(anchor, permuted), options, out);
        Map<String, Tensor> fused = FusionEngine.load(tmp.resolve(out));
        double diff = TestModels.maxTensorDifference(original, fused);
        assertTrue(diff <= EXACT, what + ": fused weights differ from the original by " + diff);
    }

    @Test
    void threeModelsAlignedToTheAnchorAverageBackToIt() {
        fuse(List.of(anchor, permuted, permuted2), opts("method=perm,data=digits,samples=200"), "three");
        assertTrue(TestModels.maxTensorDifference(original, FusionEngine.load(tmp.resolve("three"))) <= EXACT);
    }

    @Test
    void vanillaOfIdenticalModelsIsTheModel() {
        Path copy = TestModels.write(tmp.resolve("copy"), config, original);
        fuse(List.of(anchor, copy), opts("method=vanilla"), "vanilla-same");
        assertTrue(TestModels.maxTensorDifference(original, FusionEngine.load(tmp.resolve("vanilla-same"))) <= EXACT);
    }

    @Test
    void vanillaOfAPermutedCopyIsNotTheModel() {
        // The check above can fail: without alignment the permutation is not undone.
        fuse(List.of(anchor, permuted), opts("method=vanilla"), "vanilla-perm");
        assertTrue(TestModels.maxTensorDifference(original, FusionEngine.load(tmp.resolve("vanilla-perm"))) > 0.1);
    }

    @Test
    void monotonicHeadsCannotUndoAHeadPermutation() {
        // Head-Perm matters: keeping heads in order pairs the wrong heads (the seed-3 permutation moves them).
        fuse(List.of(anchor, permuted), opts("method=perm,heads=monotonic,data=digits,samples=200"), "monotonic");
        float[] a = TestModels.logits(anchor, 64);
        float[] f = TestModels.logits(tmp.resolve("monotonic"), 64);
        assertTrue(TestModels.relativeDifference(a, f) > 1e-3);
    }

    /**
     * Entropic OT blurs each permutation: a plan entry at normalised cost c is about
     * exp(-c / reg) of the matched pair's (cost 0), so with the default reg 0.08 and costs of
     * unmatched pairs around 0.5-1 each row leaks (n - 1) e^(-c/reg), a few 1e-3 of its mass, per
     * space, compounding over the ~10 spaces of this model: a few percent on the logits (measured
     * 0.049 here); 0.1 leaves room for the BLAS's rounding differences. The blur must vanish as
     * reg shrinks: at reg 0.02 the leak is below (n - 1) e^(-15) even for neurons correlated 0.9
     * (cost 0.3), so what remains is Sinkhorn's stopping error (1000 iterations, tol 1e-9,
     * measured 1.4e-4 on the logits): we require 1e-3 and a tenfold improvement over reg 0.08.
     * Both checks fail for a wrong alignment (differences of order 1).
     */
    @Test
    void sinkhornGivesTheModelBackUpToItsEntropicBlur() {
        fuse(List.of(anchor, permuted), opts("method=ot,solver=sinkhorn,data=digits,samples=200"), "sinkhorn");
        fuse(List.of(anchor, permuted), opts("method=ot,solver=sinkhorn,reg=0.02,data=digits,samples=200"), "sinkhorn-sharp");
        float[] a = TestModels.logits(anchor, 64);
        double blurred = TestModels.relativeDifference(a, TestModels.logits(tmp.resolve("sinkhorn"), 64));
        double sharp = TestModels.relativeDifference(a, TestModels.logits(tmp.resolve("sinkhorn-sharp"), 64));
        System.out.println("sinkhorn fused vs original logits: reg 0.08 -> " + blurred + ", reg 0.02 -> " + sharp);
        assertTrue(blurred < 0.1, "reg 0.08: fused logits differ by " + blurred);
        assertTrue(sharp < 1e-3 && sharp < blurred / 10, "reg 0.02: fused logits differ by " + sharp);
    }

    @Test
    void separateResidualPermutationsAreReportedAsNotFunctionPreserving() {
        FusionResult r = fuse(List.of(anchor, permuted), opts("method=perm,residual-perm=separate,data=digits,samples=200"),
                "separate");
        assertFalse(r.options().functionPreserving());
        assertEquals(false, r.toJson(false).get("function_preserving"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"method=ot,data=digits,samples=100",
            "method=ot,residual=all,data=digits,samples=100", "method=ot,solver=emd,residual=all,align=weights"})
    void sameSpecGivesBitwiseTheSameOutput(String spec) throws Exception {
        String tag = Integer.toHexString(spec.hashCode());
        fuse(List.of(anchor, permuted), opts(spec), "rep1-" + tag);
        fuse(List.of(anchor, permuted), opts(spec), "rep2-" + tag);
        for (String f : List.of("model.safetensors", "config.json")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("rep1-" + tag).resolve(f)),
                    Files.readAllBytes(tmp.resolve("rep2-" + tag).resolve(f))), spec + ": " + f + " differs between identical runs");
        }
    }

    static Map<String, String> opts(String spec) {
        return parse(spec);
    }

    static Map<String, String> parse(String spec) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0].trim(), p[1].trim());
        }
        m.putIfAbsent("align", m.get("method").equals("vanilla") ? "none" : "acts");
        if (m.get("align").equals("none")) {
            m.remove("align");
        }
        return m;
    }
}
