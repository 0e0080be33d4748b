package transfuse.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Which layers a declaration has: listed explicitly, or read from HF's naming by the 4-argument constructor. */
class ModelGraphLayersTest {
    /** Two residual layers: spaces layer.N.hidden/out/residual, tensors enc.layer.N.up/down, an embedding and a head. */
    static ModelGraph twoLayers() {
        List<NeuronSpace> spaces = new ArrayList<>(List.of(NeuronSpace.flat("embed", 2)));
        List<TensorSpec> tensors = new ArrayList<>(List.of(spec("embed.weight", 2, "embed")));
        List<Join> joins = new ArrayList<>();
        List<Tap> taps = new ArrayList<>(List.of(new Tap("embed", "embed")));
        for (int n = 0; n < 2; n++) {
            String in = n == 0 ? "embed" : "layer." + (n - 1) + ".residual";
            String l = "layer." + n;
            spaces.addAll(List.of(NeuronSpace.flat(l + ".hidden", 3), NeuronSpace.flat(l + ".out", 2),
                    NeuronSpace.flat(l + ".residual", 2)));
            tensors.add(new TensorSpec("enc." + l + ".up.weight", new long[] {3, 2}, List.of(l + ".hidden", in)));
            tensors.add(new TensorSpec("enc." + l + ".down.weight", new long[] {2, 3}, List.of(l + ".out", l + ".hidden")));
            joins.add(new Join(l + ".residual", in, l + ".out"));
            taps.add(new Tap(l + ".residual", l + ".residual"));
        }
        tensors.add(new TensorSpec("head.weight", new long[] {5, 2}, java.util.Arrays.asList(null, "layer.1.residual")));
        return new ModelGraph(spaces, tensors, taps, joins);
    }

    private static TensorSpec spec(String name, long size, String space) {
        return new TensorSpec(name, new long[] {size}, List.of(space));
    }

    @Test
    void layersAreReadFromTheNamingWhenNotListed() {
        ModelGraph g = twoLayers();
        assertEquals(List.of(
                new Layer(0, List.of("layer.0.hidden", "layer.0.out", "layer.0.residual"),
                        List.of("enc.layer.0.up.weight", "enc.layer.0.down.weight")),
                new Layer(1, List.of("layer.1.hidden", "layer.1.out", "layer.1.residual"),
                        List.of("enc.layer.1.up.weight", "enc.layer.1.down.weight"))), g.layers());
        assertEquals(1, g.layerOfTensor("enc.layer.1.down.weight"));
        assertEquals(-1, g.layerOfTensor("head.weight"));
        assertEquals(-1, g.layerOfSpace("embed"));
    }

    @Test
    void theStreamsOfALayerAreTheSkipOfItsFirstJoinAndTheSumOfItsLast() {
        ModelGraph g = twoLayers();
        assertEquals("embed", g.streamEntering(0));
        assertEquals("layer.0.residual", g.streamLeaving(0));
        assertEquals("layer.0.residual", g.streamEntering(1));
        assertEquals("layer.1.residual", g.streamLeaving(1));
        ModelGraph noJoins = new ModelGraph(g.spaces(), g.tensors(), g.taps(), List.of());
        assertNull(noJoins.streamLeaving(0));
        assertThrows(IllegalArgumentException.class, () -> g.streamEntering(2));
    }

    @Test
    void namesThatDoNotNumberLayersFromZeroGiveNoLayers() {
        ModelGraph g = twoLayers();
        List<NeuronSpace> oneBased = List.of(NeuronSpace.flat("layer.1.hidden", 3), NeuronSpace.flat("layer.2.hidden", 3));
        assertEquals(List.of(), new ModelGraph(oneBased, List.of(), List.of(), List.of()).layers(),
                "layers numbered from 1 leave a gap at 0");
        TensorSpec twoLayerNames = new TensorSpec("layer.0.layer.1.w", new long[] {2}, List.of("embed"));
        assertEquals(List.of(), new ModelGraph(g.spaces(), List.of(twoLayerNames), List.of(), List.of()).layers(),
                "a tensor naming two layers is not guessed at");
    }

    @Test
    void listedLayersAreValidated() {
        ModelGraph g = twoLayers();
        Layer first = g.layers().get(0);
        Layer second = g.layers().get(1);
        assertEquals(g, new ModelGraph(g.spaces(), g.tensors(), g.taps(), g.joins(), List.of(first, second)));
        assertThrows(IllegalArgumentException.class,
                () -> new ModelGraph(g.spaces(), g.tensors(), g.taps(), g.joins(), List.of(second, first)),
                "layers must be listed 0 .. L-1");
        assertThrows(IllegalArgumentException.class, () -> new ModelGraph(g.spaces(), g.tensors(), g.taps(),
                g.joins(), List.of(first, new Layer(1, first.spaces(), List.of()))), "a space in two layers");
        assertThrows(IllegalArgumentException.class, () -> new ModelGraph(g.spaces(), g.tensors(), g.taps(),
                g.joins(), List.of(new Layer(0, List.of("nowhere"), List.of()))), "an unknown space");
        assertThrows(IllegalArgumentException.class, () -> new ModelGraph(g.spaces(), g.tensors(), g.taps(),
                g.joins(), List.of(new Layer(0, List.of(), List.of("nothing")))), "an unknown tensor");
    }
}
