package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.testkit.SpacePermutation;

/**
 * The honest barrier: B's own loss and accuracy beside B''s (the path's start), a flag when B'
 * computes another function than B, and the barrier against A and B as well as against A and B'.
 */
class BarrierEndpointTest {
    @TempDir
    static Path tmp;
    static Path anchor;
    static Path permuted;
    static Path independent;
    static Dataset data;

    @BeforeAll
    static void models() {
        ModelConfig c = TestModels.config(16, 2, 4, 32);
        Map<String, Tensor> w = TestModels.weights(c, 41);
        anchor = TestModels.write(tmp.resolve("a"), c, w);
        var g = TestModels.vit().graph(c);
        permuted = TestModels.write(tmp.resolve("perm"), c,
                new SpacePermutation(g, TestModels.vit().headGroups(c), new Random(43)).apply(g, w));
        independent = TestModels.write(tmp.resolve("b"), c, TestModels.weights(c, 42));
        data = TestModels.services().dataset("digits:200", Split.TRAIN);
    }

    private static BarrierCurve curve(Path b, String spec) {
        Map<String, String> o = FunctionPreservationTest.parse(spec);
        if (!o.get("method").equals("vanilla")) {
            o.put("data", "digits");
            o.put("samples", "200");
        }
        return new LossBarrier(TestModels.services()).curve(anchor, b, TestModels.options(o, 2), 5, data,
                ProgressListener.NONE);
    }

    @Test
    void permKeepsBsFunctionSoBothBarriersAgree() {
        // perm aligns B by a permutation of a permuted copy: B' = A in function, and A's copy B has
        // its loss. Float rounding of reordered sums moves the loss by ~1e-6; 1e-4 is far above.
        BarrierCurve c = curve(permuted, "method=perm");
        assertEquals(c.endpointLoss(), c.alignedEndpointLoss(), 1e-4);
        assertEquals(c.endpointAccuracy(), c.alignedEndpointAccuracy(), 1e-9, "no example changes its class");
        assertFalse(c.alignedEndpointDiffers());
        assertEquals(c.barrier(), c.barrierOriginal(), 1e-4);
        Map<String, Object> json = c.toJson();
        assertEquals(false, json.get("aligned_endpoint_differs"));
        for (String key : List.of("barrier_original", "endpoint_loss", "endpoint_accuracy", "aligned_endpoint_loss",
                "aligned_endpoint_accuracy", "endpoint_tolerance")) {
            assertTrue(json.containsKey(key), key);
        }
    }

    @Test
    void vanillaEndsAtBItself() {
        // lambda 0 interpolates to 0 * A + 1 * B, exactly B's float32 weights: the same evaluation.
        BarrierCurve c = curve(independent, "method=vanilla");
        assertEquals(c.endpointLoss(), c.alignedEndpointLoss(), 1e-9);
        assertFalse(c.alignedEndpointDiffers());
    }

    @Test
    void otWithBlendedResidualMapsIsFlaggedAndMeasuredAgainstBToo() {
        // Independent models, residual mean: the stream's maps are blends, so B' is a blurred B
        // (OtResidualAllTest) and its loss is far from B's; the flag must say so.
        BarrierCurve c = curve(independent, "method=ot,solver=emd,residual=mean");
        System.out.println("ot mean, independent models: B loss " + c.endpointLoss() + ", B' loss "
                + c.alignedEndpointLoss() + ", barrier " + c.barrier() + ", against A and B " + c.barrierOriginal());
        assertTrue(c.alignedEndpointDiffers(), "B loss " + c.endpointLoss() + ", B' loss " + c.alignedEndpointLoss());
        assertEquals(c.barrier() + (c.alignedEndpointLoss() - c.endpointLoss()) / 2, c.barrierOriginal(), 1e-12,
                "the two barriers differ by half the endpoints' loss difference");
        assertEquals(true, c.toJson().get("aligned_endpoint_differs"));
        String svg = CurvePlot.svg("t", List.of(c));
        assertTrue(svg.contains("<circle") && svg.contains("B\u2032 \u2260 B"), "the plot marks B and B'");
        assertFalse(CurvePlot.svg("t", List.of(curve(permuted, "method=perm"))).contains("<circle"),
                "no marks when B' is B");
    }

    @Test
    void longTitlesAreShortenedInTheMiddle() {
        String path = "/very/long/path/".repeat(12) + "vitA vs " + "/another/long/path/".repeat(10) + "vitB";
        String fitted = CurvePlot.fit(path, 76);
        assertEquals(76, fitted.length());
        assertTrue(fitted.startsWith("/very/long") && fitted.endsWith("path/vitB") && fitted.contains("\u2026"));
        assertEquals("short", CurvePlot.fit("short", 76));
        String svg = CurvePlot.svg(path, List.of());
        assertTrue(svg.contains("<title>" + path + "</title>"), "the whole title stays as a tooltip");
    }
}
