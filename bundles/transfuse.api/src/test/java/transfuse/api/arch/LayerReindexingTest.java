package transfuse.api.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/** Re-indexing the layers of a small residual model: select, repeat, drop, and what it refuses. */
class LayerReindexingTest {
    /** L layers of one residual block each; layer tensors named enc.layer.N.*, an embedding and a head around them. */
    static ModelGraph graph(int layers) {
        List<NeuronSpace> spaces = new ArrayList<>(List.of(NeuronSpace.flat("embed", 2)));
        List<TensorSpec> tensors = new ArrayList<>(List.of(new TensorSpec("embed.weight", new long[] {2},
                List.of("embed"))));
        List<Join> joins = new ArrayList<>();
        for (int n = 0; n < layers; n++) {
            String in = stream(n - 1);
            String l = "layer." + n;
            spaces.addAll(List.of(NeuronSpace.flat(l + ".hidden", 3), NeuronSpace.flat(l + ".out", 2),
                    NeuronSpace.flat(l + ".residual", 2)));
            tensors.add(new TensorSpec("enc." + l + ".up.weight", new long[] {3, 2}, List.of(l + ".hidden", in)));
            tensors.add(new TensorSpec("enc." + l + ".down.weight", new long[] {2, 3},
                    List.of(l + ".out", l + ".hidden")));
            joins.add(new Join(l + ".residual", in, l + ".out"));
        }
        tensors.add(new TensorSpec("head.weight", new long[] {5, 2}, Arrays.asList(null, stream(layers - 1))));
        return new ModelGraph(spaces, tensors, List.of(new Tap("out", stream(layers - 1))), joins);
    }

    private static String stream(int layer) {
        return layer < 0 ? "embed" : "layer." + layer + ".residual";
    }

    /** Every tensor filled with one value, distinct per tensor, so a copy can be traced to its source. */
    static Map<String, Tensor> weights(ModelGraph g) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (int k = 0; k < g.tensors().size(); k++) {
            TensorSpec t = g.tensors().get(k);
            float[] v = new float[Math.toIntExact(Tensor.numel(t.shape()))];
            Arrays.fill(v, k);
            w.put(t.name(), Tensor.ofFloats(t.shape(), v));
        }
        return w;
    }

    /**
     * Re-indexes a model of {@code from} layers by {@code map} and checks that layer i of the result
     * holds source layer map[i]'s tensors, and every other tensor is the source's own.
     */
    private static void assertReindexed(int from, int[] map) {
        ModelGraph source = graph(from);
        Map<String, Tensor> in = weights(source);
        Map<String, Tensor> out = LayerReindexing.weights(source, graph(map.length), in, map);
        assertEquals(graph(map.length).tensors().stream().map(TensorSpec::name).toList(), List.copyOf(out.keySet()),
                "the new declaration's tensors, in its order");
        for (int i = 0; i < map.length; i++) {
            for (String part : List.of("up", "down")) {
                assertSame(in.get("enc.layer." + map[i] + "." + part + ".weight"),
                        out.get("enc.layer." + i + "." + part + ".weight"), "layer " + i + " copies layer " + map[i]);
            }
        }
        assertSame(in.get("embed.weight"), out.get("embed.weight"));
        assertSame(in.get("head.weight"), out.get("head.weight"));
    }

    @Test
    void theIdentityMapGivesTheSameWeights() {
        ModelGraph g = graph(3);
        Map<String, Tensor> in = weights(g);
        Map<String, Tensor> out = LayerReindexing.weights(g, g, in, new int[] {0, 1, 2});
        assertEquals(List.copyOf(in.keySet()), List.copyOf(out.keySet()));
        in.forEach((name, t) -> assertSame(t, out.get(name), name));
    }

    @Test
    void selectingKeepsTheChosenLayersInTheirNewPlaces() {
        assertReindexed(3, new int[] {0, 2});
    }

    @Test
    void repeatingALayerCopiesItToEveryPlaceThatNamesIt() {
        assertReindexed(2, new int[] {0, 0, 1, 1});
    }

    @Test
    void droppingAndReorderingAreTheSameOperation() {
        assertReindexed(4, new int[] {2, 0});
    }

    @Test
    void aMapThatDoesNotFitTheDeclarationsIsRefused() {
        ModelGraph g = graph(2);
        assertThrows(TransfuseException.class, () -> LayerReindexing.weights(g, graph(3), weights(g), new int[] {0, 1}),
                "3 layers declared, 2 mapped");
        assertThrows(TransfuseException.class, () -> LayerReindexing.weights(g, g, weights(g), new int[] {0, 2}),
                "the model has no layer 2");
        Map<String, Tensor> missing = weights(g);
        missing.remove("enc.layer.1.up.weight");
        assertThrows(TransfuseException.class, () -> LayerReindexing.weights(g, g, missing, new int[] {0, 1}));
    }

    @Test
    void layersThatMeetOutsideTheResidualStreamAreRefused() {
        ModelGraph g = graph(2);
        List<TensorSpec> tensors = new ArrayList<>(g.tensors());
        // A layer-1 tensor that reads layer 0's hidden space: layer 1 cannot be moved away from layer 0.
        tensors.add(new TensorSpec("enc.layer.1.shortcut.weight", new long[] {2, 3},
                List.of("layer.1.out", "layer.0.hidden")));
        ModelGraph crossing = new ModelGraph(g.spaces(), tensors, g.taps(), g.joins());
        TransfuseException e = assertThrows(TransfuseException.class,
                () -> LayerReindexing.checkSelfContained(crossing));
        assertTrue(e.getMessage().contains("enc.layer.1.shortcut.weight"), e.getMessage());
        LayerReindexing.checkSelfContained(g);
    }

    @Test
    void layersThatAreNotAlikeAreRefused() {
        ModelGraph g = graph(2);
        List<TensorSpec> tensors = new ArrayList<>(g.tensors());
        tensors.add(2, new TensorSpec("enc.layer.0.extra.bias", new long[] {3}, List.of("layer.0.hidden")));
        ModelGraph unlike = new ModelGraph(g.spaces(), tensors, g.taps(), g.joins());
        Map<String, Tensor> w = weights(unlike);
        assertThrows(TransfuseException.class, () -> LayerReindexing.weights(unlike, unlike, w, new int[] {1, 1}),
                "layer 0 has a tensor layer 1 lacks");
    }
}
