package transfuse.arch.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import transfuse.api.arch.LayerReindexing;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;

/** BERT declares its layers; they agree with the layer.N naming rule and meet only through the residual stream. */
class BertLayersTest {
    private final BertArchitecture bert = Berts.bert();

    @Test
    void theDeclaredLayersAreTheOnesTheLayerNamingGivesForEveryHead() {
        for (ModelConfig c : List.of(Berts.tiny(8, 2, 2, 16, 20, BertTask.CLASSIFICATION),
                Berts.tiny(8, 2, 2, 16, 20, BertTask.MASKED_LM),
                Berts.untied(Berts.tiny(8, 2, 2, 16, 20, BertTask.MASKED_LM)),
                Berts.tiny(8, 2, 2, 16, 20, BertTask.ENCODER))) {
            ModelGraph g = bert.graph(c);
            assertEquals(2, g.layers().size());
            assertEquals(g.layers(), new ModelGraph(g.spaces(), g.tensors(), g.taps(), g.joins()).layers(),
                    "declared layers and the layer.N naming rule (docs/architecture.md) must agree");
            assertEquals(16, g.layers().get(0).tensors().size());
            LayerReindexing.checkSelfContained(g);
        }
    }

    @Test
    void repeatingALayerGivesADeeperModelBertAccepts() {
        ModelConfig c = Berts.tiny(8, 2, 2, 16, 20, BertTask.CLASSIFICATION);
        LayerReindexing.Reindexed r = LayerReindexing.apply(bert, c, bert.initialize(c, 3), new int[] {1, 1, 0});
        assertEquals(3, r.config().getInt(LayerReindexing.DEPTH_FIELD));
        bert.validate(r.config(), r.weights());
    }
}
