package transfuse.init.sws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.JobResult;
import transfuse.api.model.Layer;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.option.OptionValues;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.internal.GrowJob;
import transfuse.io.config.ModelDir;

class GrowJobTest {
    private static final int[] STAGES = {2, 3};

    @TempDir
    Path tmp;
    private final TestContext context = new TestContext();
    private final Architecture vit = context.vit();
    private final GrowJob job = new GrowJob();
    private Path learngene;

    @BeforeEach
    void makeLearngene() {
        learngene = tmp.resolve("lg");
        TestLearngenes.learngene(vit, learngene, STAGES, 3);
    }

    private JobResult grow(Object... keyValues) throws Exception {
        Map<String, Object> raw = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            raw.put((String) keyValues[i], keyValues[i + 1]);
        }
        return job.run(job.spec(OptionValues.of(raw, job.options(), "--%s"), context), context);
    }

    @Test
    void everyDepthFromOneToTwiceTheAuxNetGivesAModelTheArchitectureAccepts() throws Exception {
        for (int d = 1; d <= 2 * 5; d++) {
            Path out = tmp.resolve("d" + d);
            JobResult r = grow("learngene", learngene.toString(), "depth", d, "out", out.toString());
            try (ModelDir m = ModelDir.open(out)) {
                assertEquals(d, m.config().getInt(LayerReindexing.DEPTH_FIELD));
                assertFalse(m.config().has(Learngene.FIELD), "a descendant is an ordinary model");
                vit.validate(m.config(), m.loadWeights());
            }
            assertEquals(d, r.json().get("depth"));
            assertEquals(java.util.Arrays.stream(LayerSchedule.forDepth(STAGES, d)).boxed().toList(),
                    r.json().get("layers_source"), "the default schedule is reported");
        }
    }

    /**
     * The invariant: grown with the Aux-Net's own schedule, the descendant is the Aux-Net with its
     * shared stages expanded (bitwise), so its forward equals the Aux-Net's.
     */
    @Test
    void growingWithTheAuxNetScheduleIsTheExpandedAuxNet() throws Exception {
        Learngene lg = Learngene.read(learngene);
        Map<String, Tensor> stagesWeights = ModelDir.loadWeights(learngene);
        LayerReindexing.Reindexed auxNet = LayerReindexing.apply(vit, lg.stageModelConfig(), stagesWeights,
                lg.stageSchedule());
        Path explicit = tmp.resolve("explicit");
        Path byDefault = tmp.resolve("default");
        grow("learngene", learngene.toString(), "depth", 5, "layers-source", List.of("0,0,1,1,1"),
                "out", explicit.toString());
        grow("learngene", learngene.toString(), "depth", 5, "out", byDefault.toString());

        for (Path grown : List.of(explicit, byDefault)) {
            Map<String, Tensor> w = ModelDir.loadWeights(grown);
            assertEquals(auxNet.weights().keySet(), w.keySet());
            auxNet.weights().forEach((n, t) -> assertArrayEquals(t.toFloats(), w.get(n).toFloats(), n));

            Dataset digits = context.dataset("digits:16", Split.TEST);
            ModelConfig config = ModelDir.open(grown).config();
            Tensor expected = vit.forward(auxNet.config(), auxNet.weights(),
                    ForwardRequest.logits(vit.inputs(auxNet.config(), digits, 0, 16))).logits();
            Tensor actual = vit.forward(config, w, ForwardRequest.logits(vit.inputs(config, digits, 0, 16))).logits();
            assertArrayEquals(expected.toFloats(), actual.toFloats(), 1e-6f);
        }
    }

    @Test
    void truncateKeepsTheMiddlesOfEqualSegmentsOfTheFullModel() throws Exception {
        Path full = TestLearngenes.model(vit, tmp.resolve("full"), 6, 5);
        Path out = tmp.resolve("truncated");
        grow("from", full.toString(), "init", "truncate", "depth", 3, "out", out.toString());
        Map<String, Tensor> source = ModelDir.loadWeights(full);
        Map<String, Tensor> grown = ModelDir.loadWeights(out);
        ModelGraph sixLayers = vit.graph(TestLearngenes.vitConfig(6));
        ModelGraph threeLayers = vit.graph(TestLearngenes.vitConfig(3));
        int[] kept = {1, 3, 5};
        for (int i = 0; i < 3; i++) {
            Layer to = threeLayers.layers().get(i);
            Layer from = sixLayers.layers().get(kept[i]);
            for (int k = 0; k < to.tensors().size(); k++) {
                assertArrayEquals(source.get(from.tensors().get(k)).toFloats(), grown.get(to.tensors().get(k)).toFloats(),
                        to.tensors().get(k));
            }
        }
        TransfuseException e = assertThrows(TransfuseException.class, () -> grow("from", full.toString(),
                "init", "truncate", "depth", 7, "out", tmp.resolve("deeper").toString()));
        assertTrue(e.getMessage().startsWith("--depth:"), e.getMessage());
    }

    /** TLEG: layer l of D is W_base + (l / D) W_delta, from layers 0 and 1 of a 2-layer model. */
    @Test
    void tlegExpandsBaseAndDeltaLinearly() throws Exception {
        Path pair = TestLearngenes.model(vit, tmp.resolve("pair"), 2, 8);
        grow("from", pair.toString(), "init", "tleg", "depth", 4, "out", tmp.resolve("tleg").toString());
        Map<String, Tensor> source = ModelDir.loadWeights(pair);
        Map<String, Tensor> grown = ModelDir.loadWeights(tmp.resolve("tleg"));
        ModelGraph two = vit.graph(TestLearngenes.vitConfig(2));
        ModelGraph four = vit.graph(TestLearngenes.vitConfig(4));
        for (int l = 0; l < 4; l++) {
            for (int k = 0; k < four.layers().get(l).tensors().size(); k++) {
                float[] base = source.get(two.layers().get(0).tensors().get(k)).toFloats();
                float[] delta = source.get(two.layers().get(1).tensors().get(k)).toFloats();
                String name = four.layers().get(l).tensors().get(k);
                float[] expected = new float[base.length];
                for (int i = 0; i < base.length; i++) {
                    expected[i] = (float) (base[i] + (l + 1) / 4.0 * delta[i]);
                }
                assertArrayEquals(expected, grown.get(name).toFloats(), name);
            }
        }
        assertArrayEquals(source.get("classifier.weight").toFloats(), grown.get("classifier.weight").toFloats());
        Path three = TestLearngenes.model(vit, tmp.resolve("three"), 3, 8);
        TransfuseException e = assertThrows(TransfuseException.class, () -> grow("from", three.toString(),
                "init", "tleg", "depth", 3, "out", tmp.resolve("from-three").toString()));
        assertTrue(e.getMessage().contains("2-layer"), e.getMessage());
    }

    @Test
    void randomIsAPureFunctionOfConfigAndSeed() throws Exception {
        grow("learngene", learngene.toString(), "init", "random", "depth", 4, "seed", 9, "out", tmp.resolve("a").toString());
        grow("learngene", learngene.toString(), "init", "random", "depth", 4, "seed", 9, "out", tmp.resolve("b").toString());
        grow("learngene", learngene.toString(), "init", "random", "depth", 4, "seed", 10, "out", tmp.resolve("c").toString());
        Map<String, Tensor> a = ModelDir.loadWeights(tmp.resolve("a"));
        Map<String, Tensor> b = ModelDir.loadWeights(tmp.resolve("b"));
        Map<String, Tensor> c = ModelDir.loadWeights(tmp.resolve("c"));
        Map<String, Tensor> direct = vit.initialize(TestLearngenes.vitConfig(4), 9);
        direct.forEach((n, t) -> {
            assertArrayEquals(t.toFloats(), a.get(n).toFloats(), n);
            assertArrayEquals(t.toFloats(), b.get(n).toFloats(), n);
        });
        assertNotEquals(List.of(a.get("classifier.weight").toFloats()[0]), List.of(c.get("classifier.weight").toFloats()[0]));
    }

    @Test
    void randomNeedsOnlyTheSourceConfig() throws Exception {
        Path configOnly = tmp.resolve("config-only");
        Files.createDirectories(configOnly);
        transfuse.io.config.ConfigJson.write(configOnly.resolve(ModelDir.CONFIG), TestLearngenes.vitConfig(6));
        grow("from", configOnly.toString(), "init", "random", "depth", 2, "seed", 4, "out", tmp.resolve("r").toString());
        Map<String, Tensor> direct = vit.initialize(TestLearngenes.vitConfig(2), 4);
        Map<String, Tensor> grown = ModelDir.loadWeights(tmp.resolve("r"));
        direct.forEach((n, t) -> assertArrayEquals(t.toFloats(), grown.get(n).toFloats(), n));
        TransfuseException e = assertThrows(TransfuseException.class, () -> grow("from", configOnly.toString(),
                "init", "truncate", "depth", 2, "out", tmp.resolve("t").toString()));
        assertTrue(e.getMessage().contains(ModelDir.WEIGHTS), e.getMessage());
    }

    @Test
    void aNewLabelCountGetsAFreshHeadAndKeepsTheGrownBody() throws Exception {
        grow("learngene", learngene.toString(), "depth", 4, "out", tmp.resolve("same").toString());
        grow("learngene", learngene.toString(), "depth", 4, "num-labels", 3, "out", tmp.resolve("three").toString());
        Map<String, Tensor> same = ModelDir.loadWeights(tmp.resolve("same"));
        try (ModelDir three = ModelDir.open(tmp.resolve("three"))) {
            Map<String, Tensor> w = three.loadWeights();
            vit.validate(three.config(), w);
            assertEquals(3, ((Map<?, ?>) three.config().fields().get("id2label")).size());
            same.forEach((n, t) -> {
                if (java.util.Arrays.equals(t.shape(), w.get(n).shape())) {
                    assertArrayEquals(t.toFloats(), w.get(n).toFloats(), n);
                } else {
                    assertTrue(n.startsWith("classifier"), "only the head changes shape: " + n);
                }
            });
        }
    }

    @Test
    void badInputIsOneLineNamingTheKeyBeforeAnyOutput() {
        Path out = tmp.resolve("never");
        String lg = learngene.toString();
        expect("--depth", "learngene", lg, "depth", 0, "out", out.toString());
        expect("--depth", "learngene", lg, "depth", -3, "out", out.toString());
        expect("--depth", "learngene", lg, "depth", 11, "out", out.toString());
        expect("--layers-source", "learngene", lg, "depth", 3, "layers-source", List.of("0,1"), "out", out.toString());
        expect("--layers-source", "learngene", lg, "depth", 3, "layers-source", List.of("0", "1", "2"), "out", out.toString());
        expect("--layers-source", "learngene", lg, "depth", 2, "layers-source", List.of("0,x"), "out", out.toString());
        expect("--arch", "learngene", lg, "arch", "bert", "depth", 3, "out", out.toString());
        expect("--init", "learngene", lg, "init", "nope", "depth", 3, "out", out.toString());
        expect("--learngene", "init", "sws", "from", lg, "depth", 3, "out", out.toString());
        expect("--from", "learngene", lg, "from", lg, "depth", 3, "out", out.toString());
        expect("--layers-source", "learngene", lg, "init", "random", "depth", 2, "layers-source", List.of("0,1"),
                "out", out.toString());
        expect("--out", "learngene", lg, "depth", 3);
        expect("--out", "learngene", lg, "depth", 3, "out", lg);
        assertFalse(Files.exists(out));
    }

    private void expect(String key, Object... keyValues) {
        TransfuseException e = assertThrows(TransfuseException.class, () -> grow(keyValues));
        assertTrue(e.getMessage().startsWith(key + ":") && !e.getMessage().contains("\n"), key + ": " + e.getMessage());
    }
}
