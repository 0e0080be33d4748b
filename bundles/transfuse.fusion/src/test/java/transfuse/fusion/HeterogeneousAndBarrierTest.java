package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.testkit.SpacePermutation;

/** Unequal widths fuse into the anchor's shape; barriers vanish for a perfectly aligned pair. */
class HeterogeneousAndBarrierTest {
    @TempDir
    static Path tmp;
    static ModelConfig narrow;
    static Path anchor;
    static Path wide;
    static Path permuted;

    @BeforeAll
    static void models() {
        narrow = TestModels.config(16, 2, 4, 32);
        Map<String, Tensor> w = TestModels.weights(narrow, 11);
        anchor = TestModels.write(tmp.resolve("narrow"), narrow, w);
        ModelConfig wc = TestModels.config(24, 2, 4, 48);
        wide = TestModels.write(tmp.resolve("wide"), wc, TestModels.weights(wc, 12));
        var g = TestModels.vit().graph(narrow);
        permuted = TestModels.write(tmp.resolve("perm"), narrow,
                new SpacePermutation(g, TestModels.vit().headGroups(narrow), new Random(9)).apply(g, w));
    }

    @Test
    void aWiderModelFusesIntoTheAnchorsShape() {
        for (String spec : List.of("method=ot,data=digits,samples=100", "method=ot,solver=emd,align=weights",
                "method=perm,data=digits,samples=100")) {
            Map<String, String> o = FunctionPreservationTest.parse(spec);
            Path out = tmp.resolve("het-" + Integer.toHexString(spec.hashCode()));
            new FusionEngine(TestModels.services()).fuse(List.of(anchor, wide), TestModels.options(o, 2), out,
                    ProgressListener.NONE);
            Map<String, Tensor> fused = FusionEngine.load(out);
            Map<String, Tensor> a = FusionEngine.load(anchor);
            assertEquals(a.keySet(), fused.keySet());
            for (String name : a.keySet()) {
                assertArrayEquals(a.get(name).shape(), fused.get(name).shape(), name);
            }
            float[] logits = TestModels.logits(out, 16);
            for (float x : logits) {
                assertTrue(Float.isFinite(x), spec + ": fused model computes non-finite logits");
            }
            assertEquals(16, TestModels.configOf(out).getInt("hidden_size"), "the anchor's config is kept");
        }
    }

    @Test
    void alignedPermutedCopyHasNoBarrierWhileTheUnalignedOneDoes() {
        Dataset data = TestModels.services().dataset("digits:200", transfuse.api.data.Split.TRAIN);
        LossBarrier barrier = new LossBarrier(TestModels.services());
        BarrierCurve aligned = barrier.curve(anchor, permuted, TestModels.options(
                Map.of("method", "perm", "data", "digits", "samples", "200"), 2), 5, data, ProgressListener.NONE);
        BarrierCurve plain = barrier.curve(anchor, permuted, TestModels.options(Map.of("method", "vanilla"), 2), 5,
                data, ProgressListener.NONE);
        // The aligned copy equals the anchor, so every point on the path is the anchor (float rounding only).
        assertTrue(Math.abs(aligned.barrier()) < 1e-4, "aligned barrier " + aligned.barrier());
        assertEquals(plain.losses()[0], aligned.losses()[0], 1e-4, "both paths start at the same function");
        assertTrue(plain.barrier() > 10 * Math.abs(aligned.barrier()), "vanilla barrier " + plain.barrier());
        String svg = CurvePlot.svg("test", List.of(aligned, plain));
        assertTrue(svg.startsWith("<svg") && svg.contains("polyline") && svg.contains("perm (barrier"));
    }

    @Test
    void fuseAndAlignHandsBackTheSameAlignedModelAsAlignToAnchor() {
        for (String spec : List.of("method=ot,solver=sinkhorn,align=weights", "method=perm,data=digits,samples=100")) {
            FusionOptions o = TestModels.options(FunctionPreservationTest.parse(spec), 2);
            FusionEngine engine = new FusionEngine(TestModels.services());
            Path out = tmp.resolve("pair-" + Integer.toHexString(spec.hashCode()));
            FusionEngine.FusedPair pair = engine.fuseAndAlign(anchor, permuted, o, out, ProgressListener.NONE);
            Map<String, Tensor> alone = engine.alignToAnchor(anchor, permuted, o, ProgressListener.NONE);
            assertEquals(alone.keySet(), pair.aligned().keySet(), spec);
            for (String name : alone.keySet()) {
                assertArrayEquals(alone.get(name).toFloats(), pair.aligned().get(name).toFloats(), spec + " " + name);
            }
            // Averaging the pair (alpha 1/2) is the midpoint of the barrier path, up to float rounding of B'.
            Map<String, Tensor> mid = LossBarrier.interpolate(FusionEngine.load(anchor), pair.aligned(), 0.5);
            Map<String, Tensor> fused = FusionEngine.load(out);
            for (String name : mid.keySet()) {
                float[] x = mid.get(name).toFloats();
                float[] y = fused.get(name).toFloats();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(x[i], y[i], 1e-6 * (1 + Math.abs(x[i])), spec + " " + name);
                }
            }
        }
    }
}
