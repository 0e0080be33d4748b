package transfuse.init.sws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.arch.TokenWindow;
import transfuse.api.model.ModelConfig;
import transfuse.api.option.OptionValues;
import transfuse.api.tensor.Tensor;
import transfuse.api.data.Split;
import transfuse.init.sws.internal.GrowJob;
import transfuse.io.config.ModelDir;

/** The SWS invariant for a second architecture, reached only through the API: a tiny masked-LM BERT. */
class BertGrowTest {
    private static final int VOCAB = 40;

    @TempDir
    Path tmp;
    private final TestContext context = new TestContext();
    private final Architecture bert = context.plugin(Architecture.class, "bert");

    @Test
    void growingABertLearngeneWithItsAuxNetScheduleIsTheExpandedAuxNet() throws Exception {
        int[] stages = {2, 1, 2};
        // The recipe's masked-LM config for the bundled KJV text, shrunk to a tiny body.
        ModelConfig config = bert.defaultConfig(context.dataset("kjv:8", Split.TRAIN)).with("hidden_size", 16)
                .with("num_hidden_layers", stages.length).with("num_attention_heads", 2).with("intermediate_size", 32);
        Path lgDir = tmp.resolve("lg");
        new Learngene(config, stages, 5, "test-ancestor", 1.0, 1.0, "soft", 0, List.of())
                .write(lgDir, bert.initialize(config, 11), Map.of());
        Learngene lg = Learngene.read(lgDir);
        LayerReindexing.Reindexed auxNet = LayerReindexing.apply(bert, lg.stageModelConfig(),
                ModelDir.loadWeights(lgDir), lg.stageSchedule());

        GrowJob job = new GrowJob();
        Map<String, Object> raw = new LinkedHashMap<>();
        raw.put("learngene", lgDir.toString());
        raw.put("depth", 5);
        raw.put("out", tmp.resolve("grown").toString());
        job.run(job.spec(OptionValues.of(raw, job.options(), "--%s"), context), context);

        try (ModelDir grown = ModelDir.open(tmp.resolve("grown"))) {
            Map<String, Tensor> w = grown.loadWeights();
            assertEquals(auxNet.weights().keySet(), w.keySet());
            auxNet.weights().forEach((n, t) -> assertArrayEquals(t.toFloats(), w.get(n).toFloats(), n));
            Map<String, Tensor> inputs = inputs(4, 8);
            ForwardRequest request = new ForwardRequest(inputs, false, true, Set.of(), TokenWindow.ALL, 4);
            assertArrayEquals(bert.forward(auxNet.config(), auxNet.weights(), request).hidden().toFloats(),
                    bert.forward(grown.config(), w, request).hidden().toFloats(), 1e-6f);
        }
    }

    private static Map<String, Tensor> inputs(int n, int t) {
        Random r = new Random(5);
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1 + r.nextInt(VOCAB - 1);
            mask[i] = 1;
        }
        return Map.of("input_ids", Tensor.ofLongs(new long[] {n, t}, ids),
                "attention_mask", Tensor.ofLongs(new long[] {n, t}, mask));
    }
}
