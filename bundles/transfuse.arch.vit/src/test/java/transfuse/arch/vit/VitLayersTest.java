package transfuse.arch.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.tensor.Tensor;

/** ViT's declared layers, and re-indexing a real ViT's layers (select, repeat, drop). */
class VitLayersTest {
    private final VitArchitecture vit = Vits.vit();
    private final ModelConfig config = Vits.tiny(8, 3, 2, 16, 8, 4, 1, 3);
    private final Map<String, Tensor> weights = FunctionPreservingPermutationTest.randomised(vit.initialize(config, 1), 1);

    @Test
    void theDeclaredLayersAreTheOnesTheLayerNamingGives() {
        ModelGraph g = vit.graph(config);
        assertEquals(3, g.layers().size());
        assertEquals(g.layers(), new ModelGraph(g.spaces(), g.tensors(), g.taps(), g.joins()).layers(),
                "declared layers and the layer.N naming rule (docs/architecture.md) must agree");
        assertEquals(List.of("layer.1.attn.qk", "layer.1.attn.v", "layer.1.attn.out", "layer.1.attn.residual",
                "layer.1.mlp", "layer.1.mlp.out", "layer.1.residual"), g.layers().get(1).spaces());
        assertEquals(16, g.layers().get(1).tensors().size());
        // A pre-LN block's first norm reads the stream entering the layer, but belongs to the layer.
        assertEquals("vit.encoder.layer.1.layernorm_before.weight", g.layers().get(1).tensors().get(0));
        assertEquals(-1, g.layerOfTensor(VitNames.CLASSIFIER + ".weight"));
        LayerReindexing.checkSelfContained(g);
    }

    @Test
    void theIdentityMapGivesBitwiseTheSameForwardOutput() {
        LayerReindexing.Reindexed r = LayerReindexing.apply(vit, config, weights, new int[] {0, 1, 2});
        assertEquals(3, r.config().getInt(LayerReindexing.DEPTH_FIELD));
        Map<String, Tensor> x = Map.of("pixel_values", Vits.images(5, 1, 8, 2));
        assertArrayEquals(vit.forward(config, weights, ForwardRequest.logits(x)).logits().toFloats(),
                vit.forward(r.config(), r.weights(), ForwardRequest.logits(x)).logits().toFloats());
    }

    @Test
    void repeatingLayersGivesADeeperModelTheArchitectureAccepts() {
        int[] map = {0, 0, 1, 2, 2};
        LayerReindexing.Reindexed r = LayerReindexing.apply(vit, config, weights, map);
        assertEquals(5, r.config().getInt(LayerReindexing.DEPTH_FIELD));
        vit.validate(r.config(), r.weights());
        assertEquals(vit.graph(r.config()), r.graph());
        assertCopies(r, map);
        assertEquals(5 * 3, vit.forward(r.config(), r.weights(), ForwardRequest.logits(
                Map.of("pixel_values", Vits.images(5, 1, 8, 2)))).logits().toFloats().length);
    }

    @Test
    void droppingLayersGivesAShallowerModelTheArchitectureAccepts() {
        int[] map = {2};
        LayerReindexing.Reindexed r = LayerReindexing.apply(vit, config, weights, map);
        assertEquals(1, r.config().getInt(LayerReindexing.DEPTH_FIELD));
        vit.validate(r.config(), r.weights());
        assertCopies(r, map);
    }

    /** Layer i's tensors are layer map[i]'s under layer i's names; the embeddings, final norm and head are kept. */
    private void assertCopies(LayerReindexing.Reindexed r, int[] map) {
        for (int i = 0; i < map.length; i++) {
            for (String name : r.graph().layers().get(i).tensors()) {
                String source = name.replace("layer." + i + ".", "layer." + map[i] + ".");
                assertSame(weights.get(source), r.weights().get(name), name + " should be " + source);
            }
        }
        for (String name : List.of(VitNames.CLS, VitNames.POS, VitNames.FINAL_NORM + ".weight",
                VitNames.CLASSIFIER + ".weight")) {
            assertSame(weights.get(name), r.weights().get(name), name);
        }
    }
}
