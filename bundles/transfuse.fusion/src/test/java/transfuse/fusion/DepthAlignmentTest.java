package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.internal.LayerLayout;
import transfuse.io.config.ModelDir;
import transfuse.testkit.SpacePermutation;

/**
 * {@code --depth-align}: layers are matched by OT over 1 - linear CKA of their residual updates,
 * then the other model is re-indexed to the anchor's depth. The known answers: a model that is
 * the anchor with one layer cut out must have every remaining layer matched to the anchor layer it
 * was copied from (whichever side is deeper), and a model of equal depth that computes the same
 * function (the anchor itself, or a permuted copy) must get the identity map.
 */
class DepthAlignmentTest {
    private static final float BRANCH_SCALE = 0.3f;
    private static final Pattern LAYER = Pattern.compile("\\.layer\\.(\\d+)\\.");

    @TempDir
    static Path tmp;
    static ModelConfig config;
    static Map<String, Tensor> original;
    static Path anchor;

    @BeforeAll
    static void models() {
        config = TestModels.config(16, 4, 4, 32);
        original = residualDominant(TestModels.weights(config, 11));
        anchor = TestModels.write(tmp.resolve("a"), config, original);
    }

    /**
     * The fixture's branches scaled down so each layer refines the residual stream rather than
     * replacing it, as in trained transformers: the assumption depth alignment rests on. With
     * the fixture's raw weights (every parameter perturbed by N(0, 0.2)), or scaled by 0.6, each
     * branch outweighs the stream, and cutting layer 0 changes every later layer's input so much
     * that the layers are not recovered (measured: the map [1, 0, 0, 2] at both scales; cuts of
     * layers 1 to 3 are recovered).
     */
    private static Map<String, Tensor> residualDominant(Map<String, Tensor> w) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        w.forEach((name, t) -> {
            if (name.contains(".attention.output.dense.") || name.contains(".output.dense.")) {
                float[] v = t.toFloats();
                for (int i = 0; i < v.length; i++) {
                    v[i] *= BRANCH_SCALE;
                }
                out.put(name, Tensor.ofFloats(t.shape(), v));
            } else {
                out.put(name, t);
            }
        });
        return out;
    }

    private static FusionResult fuse(List<Path> models, String method, String out) {
        Map<String, String> o = new HashMap<>(Map.of("method", method, "depth-align", "true", "data", "digits",
                "samples", "200"));
        if (method.equals("ot")) {
            o.put("solver", "emd");
        }
        return new FusionEngine(TestModels.services()).fuse(models, TestModels.options(o, models.size()),
                tmp.resolve(out), ProgressListener.NONE);
    }

    /** The anchor with layer {@code removed} cut out: the layers after it move down one index. */
    private static Path withoutLayer(int removed) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        original.forEach((name, t) -> {
            Matcher m = LAYER.matcher(name);
            if (!m.find()) {
                w.put(name, t);
                return;
            }
            int layer = Integer.parseInt(m.group(1));
            if (layer != removed) {
                w.put(m.replaceFirst(".layer." + (layer < removed ? layer : layer - 1) + "."), t);
            }
        });
        ModelConfig shallower = TestModels.config(16, 3, 4, 32);
        return TestModels.write(tmp.resolve("minus" + removed), shallower, w);
    }

    /** The anchor layer a layer of the cut model was copied from. */
    private static int source(int layer, int removed) {
        return layer < removed ? layer : layer + 1;
    }

    @ParameterizedTest(name = "layer {0} removed")
    @ValueSource(ints = {0, 1, 2, 3})
    void aModelWithOneLayerRemovedIsMatchedToTheLayersItCameFrom(int removed) throws Exception {
        Path cut = withoutLayer(removed);
        String out = "fused-minus" + removed;
        FusionResult r = fuse(List.of(anchor, cut), "vanilla", out);
        int[] map = r.layers().get(0).map();
        assertEquals(4, map.length);
        for (int j = 0; j < 3; j++) {
            assertEquals(j, map[source(j, removed)], "anchor layer " + source(j, removed) + " should take layer " + j
                    + " of the cut model (its copy); map " + java.util.Arrays.toString(map) + ", costs "
                    + java.util.Arrays.toString(r.layers().get(0).cost()));
        }

        // The fused model has the anchor's shapes and config depth, and computes finite logits.
        Path fused = tmp.resolve(out);
        Map<String, Tensor> w = FusionEngine.load(fused);
        assertEquals(original.keySet(), w.keySet());
        original.forEach((name, t) -> assertArrayEquals(t.shape(), w.get(name).shape(), name));
        assertEquals(4, TestModels.configOf(fused).getInt("num_hidden_layers"));
        for (float x : TestModels.logits(fused, 50)) {
            assertTrue(Float.isFinite(x), "fused logits must be finite");
        }

        // config.json records the map and the L_A x L_B layer costs.
        Map<?, ?> record = depthRecord(fused);
        List<Object> expected = new ArrayList<>();
        for (int m : map) {
            expected.add(m);
        }
        assertEquals(expected, numbersAsInts((List<?>) record.get("layer_map")));
        List<?> cost = (List<?>) record.get("layer_cost");
        assertEquals(4, cost.size());
        assertEquals(3, ((List<?>) cost.get(0)).size());
        assertEquals(3, ((Number) record.get("model_layers")).intValue());
    }

    @Test
    void aDeeperModelIsMatchedAndItsExtraLayerDropped() {
        int removed = 2;
        Path cut = withoutLayer(removed);
        FusionResult r = fuse(List.of(cut, anchor), "ot", "fused-deeper");
        int[] map = r.layers().get(0).map();
        for (int i = 0; i < 3; i++) {
            assertEquals(source(i, removed), map[i], "layer " + i + " of the 3-layer anchor was copied from layer "
                    + source(i, removed) + "; map " + java.util.Arrays.toString(map) + ", costs "
                    + java.util.Arrays.toString(r.layers().get(0).cost()));
        }
        assertEquals(List.of(removed), r.layers().get(0).dropped());
        for (float x : TestModels.logits(tmp.resolve("fused-deeper"), 50)) {
            assertTrue(Float.isFinite(x), "fused logits must be finite");
        }
    }

    @Test
    void equalDepthGivesTheIdentityMapAndLeavesFunctionPreservationIntact() throws Exception {
        FusionResult self = fuse(List.of(anchor, anchor), "vanilla", "fused-self");
        assertArrayEquals(new int[] {0, 1, 2, 3}, self.layers().get(0).map());

        // CKA ignores neuron order, so a permuted copy is matched layer for layer as well, and
        // permutation merging then still undoes the permutation exactly.
        var graph = TestModels.vit().graph(config);
        var groups = TestModels.vit().headGroups(config);
        Path permuted = TestModels.write(tmp.resolve("p"), config,
                new SpacePermutation(graph, groups, new Random(3)).apply(graph, original));
        FusionResult r = fuse(List.of(anchor, permuted), "perm", "fused-perm");
        assertArrayEquals(new int[] {0, 1, 2, 3}, r.layers().get(0).map());
        double diff = TestModels.maxTensorDifference(original, FusionEngine.load(tmp.resolve("fused-perm")));
        assertTrue(diff <= 1e-5, "fused weights differ from the original by " + diff);

        // Reproducible: the same inputs give bitwise the same config.json and weights.
        fuse(List.of(anchor, permuted), "perm", "fused-perm-again");
        for (String file : List.of(ModelDir.CONFIG, "model.safetensors")) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("fused-perm").resolve(file)),
                    Files.readAllBytes(tmp.resolve("fused-perm-again").resolve(file)), file);
        }
    }

    @Test
    void layerUpdatesAreReadAtTheTapsOfTheDeclaredLayersStreams() {
        LayerLayout layout = LayerLayout.of(TestModels.vit().graph(config), "anchor");
        assertEquals(4, layout.layers());
        assertEquals(List.of("layer.0.residual", "layer.1.residual", "layer.2.residual", "layer.3.residual"),
                layout.outputTaps(), "the first tap on each layer's last join, not the final norm's");
        assertEquals(List.of("embed", "layer.0.residual", "layer.1.residual", "layer.2.residual"), layout.inputTaps());
    }

    private static Map<?, ?> depthRecord(Path dir) {
        Map<?, ?> fusion = (Map<?, ?>) TestModels.configOf(dir).fields().get(FusionEngine.CONFIG_KEY);
        List<?> records = (List<?>) fusion.get("depth_alignment");
        assertEquals(1, records.size());
        return (Map<?, ?>) records.get(0);
    }

    private static List<Object> numbersAsInts(List<?> v) {
        List<Object> out = new ArrayList<>();
        for (Object x : v) {
            out.add(((Number) x).intValue());
        }
        return out;
    }
}
