package transfuse.init.sws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Distillation;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;
import transfuse.init.sws.internal.LearngeneJob;
import transfuse.api.Plugin;
import transfuse.api.job.Job;
import transfuse.api.job.JobCancelledException;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionValues;
import transfuse.io.safetensors.TensorSource;

/** The learngene job: a stage-shared Aux-Net distilled from a tiny digits ViT, written as its stage model. */
class LearngeneJobTest {
    @TempDir
    Path tmp;

    private final TestContext context = new TestContext();

    /** A digits ViT of two layers trained for three epochs. */
    private Path ancestor() {
        Architecture vit = context.vit();
        ModelConfig config = TestLearngenes.vitConfig(2);
        Map<String, Tensor> w = vit.train(new TrainRequest(config, context.dataset("digits:256", Split.TRAIN), null,
                null, new TrainOptions(3, 32, 0.01, 0.05, 0.1, 1.0, 1, null, false)), ProgressListener.NONE).weights();
        Path dir = tmp.resolve("ancestor");
        ModelDir.save(dir, config, w.entrySet().stream().map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(),
                Map.of(), Map.of());
        return dir;
    }

    private static <S> JobResult run(Job<S> job, Map<String, ?> raw, JobContext context) throws Exception {
        return job.run(job.spec(OptionValues.of(raw, job.options(), "option --%s"), context), context);
    }

    private static <S> S validate(Job<S> job, Map<String, ?> raw, TestContext context) {
        return job.spec(OptionValues.of(raw, job.options(), "option --%s"), context);
    }

    @Test
    void theLearngeneHoldsTheTrainedStageBlocksAndGrowsBackIntoTheAuxNet() throws Exception {
        Path ancestor = ancestor();
        Path out = tmp.resolve("lg");
        run(new LearngeneJob(), Map.of("ancestor", ancestor.toString(), "stages", "2,1",
                "data", "digits:256", "epochs", "2", "batch", "32", "lr", "0.01", "seed", "5", "out", out.toString()),
                context);

        ModelConfig config;
        Map<String, Tensor> learngene;
        try (ModelDir dir = ModelDir.open(out)) {
            config = dir.config();
        }
        learngene = ModelDir.loadWeights(out);
        assertEquals(2, config.getInt(LayerReindexing.DEPTH_FIELD), "one layer per stage");
        Map<?, ?> record = (Map<?, ?>) config.fields().get(Learngene.FIELD);
        assertEquals(List.of(2, 1), ((List<?>) record.get("stages")).stream().map(o -> ((Number) o).intValue()).toList());
        assertEquals(3, ((Number) record.get("aux_depth")).intValue());
        assertEquals("soft", record.get("kd"));
        assertEquals(16, ((Number) record.get("steps")).intValue(), "2 epochs of 256 / 32");
        List<?> losses = (List<?>) record.get("losses");
        double first = ((Number) losses.get(0)).doubleValue();
        double second = ((Number) losses.get(1)).doubleValue();
        assertTrue(second < first, "the distillation loss falls: " + losses);

        // The same training in memory (bitwise reproducible): the Aux-Net the job trained.
        Architecture vit = context.plugin(Architecture.class, "vit");
        ModelConfig ancestorConfig;
        try (ModelDir dir = ModelDir.open(ancestor)) {
            ancestorConfig = dir.config();
        }
        ModelConfig aux = ancestorConfig.with(LayerReindexing.DEPTH_FIELD, 3);
        TrainOptions d = vit.defaultOptions();
        TrainOptions o = new TrainOptions(2, 32, 0.01, d.weightDecay(), d.warmup(), d.clipNorm(), 5, null, false);
        Dataset train = context.dataset("digits:256", Split.TRAIN);
        Map<String, Tensor> trained = vit.train(new TrainRequest(aux, train, null, null, o, new int[] {0, 0, 2},
                new Distillation(ancestorConfig, ModelDir.loadWeights(ancestor), 1.0, 1.0, false)),
                ProgressListener.NONE).weights();

        // Stage s of the learngene is bitwise the shared block of the Aux-Net's stage s.
        int[] representative = {0, 2};
        for (int s = 0; s < 2; s++) {
            List<String> own = vit.graph(config).layers().get(s).tensors();
            List<String> from = vit.graph(aux).layers().get(representative[s]).tensors();
            for (int k = 0; k < own.size(); k++) {
                assertArrayEquals(trained.get(from.get(k)).toFloats(), learngene.get(own.get(k)).toFloats(),
                        own.get(k));
            }
        }

        // Grown with its own schedule, the learngene computes what the trained Aux-Net computes.
        Map<String, Object> plain = new HashMap<>(config.fields());
        plain.remove(Learngene.FIELD);
        LayerReindexing.Reindexed grown = LayerReindexing.apply(vit, new ModelConfig(new LinkedHashMap<>(plain),
                config.source()), learngene, new int[] {0, 0, 1});
        Dataset test = context.dataset("digits", Split.TEST);
        Map<String, Tensor> in = vit.inputs(aux, test, 0, 64);
        float[] expected = vit.forward(aux, trained, ForwardRequest.logits(in)).logits().toFloats();
        float[] got = vit.forward(grown.config(), grown.weights(), ForwardRequest.logits(in)).logits().toFloats();
        assertArrayEquals(expected, got, 1e-6f);
    }

    @Test
    void badKeysAreRefusedNamingTheKeyBeforeAnyWork() throws Exception {
        Path ancestor = TestLearngenes.model(context.vit(), tmp.resolve("init"), 2, 1);
        Path out = tmp.resolve("lg");
        Map<String, String> ok = Map.of("ancestor", ancestor.toString(), "data", "digits:256", "out", out.toString());
        for (Map.Entry<String, String> bad : Map.of("stages", "2,0", "alpha", "1.5", "tau", "0", "kd", "warm")
                .entrySet()) {
            Map<String, Object> spec = new HashMap<>(ok);
            spec.put(bad.getKey(), bad.getValue());
            TransfuseException e = assertThrows(TransfuseException.class,
                    () -> validate(new LearngeneJob(), spec, context), bad.toString());
            assertTrue(e.getMessage().startsWith("option --" + bad.getKey()), e.getMessage());
        }
        assertFalse(Files.exists(out));
    }

    @Test
    void anAuxNetStartedFromItsAncestorsLayersBeginsWhereTheTeacherIs() throws Exception {
        Path ancestor = ancestor();
        Path out = tmp.resolve("lg");
        // Stages 1,1 over the 2-layer ancestor: the student starts as the teacher; a negligible lr keeps it there.
        run(new LearngeneJob(), Map.of("ancestor", ancestor.toString(), "stages", "1,1", "aux-init", "ancestor",
                "data", "digits:256", "epochs", "1", "batch", "32", "lr", "1e-9", "out", out.toString()), context);
        Map<?, ?> record = (Map<?, ?>) Learngene.read(out).config().fields().get(Learngene.FIELD);
        double loss = ((Number) ((List<?>) record.get("losses")).get(0)).doubleValue();
        assertTrue(loss < 1e-6, "KL(p ‖ p) = 0: " + loss);
    }

    @Test
    void aCancelledRunStopsBetweenStepsAndWritesNothing() {
        Path ancestor = TestLearngenes.model(context.vit(), tmp.resolve("init"), 2, 1);
        Path out = tmp.resolve("lg");
        int[] reports = new int[1];
        JobContext cancelling = new ListeningContext(context, (task, done, total, message) -> {
            if (++reports[0] >= 3) {
                throw new JobCancelledException("cancelled");
            }
        });
        assertThrows(JobCancelledException.class, () -> run(new LearngeneJob(), Map.of("ancestor",
                ancestor.toString(), "stages", "1,1", "data", "digits:256", "epochs", "1", "batch", "32", "out",
                out.toString()), cancelling));
        assertFalse(Files.exists(out), "nothing written");
    }

    @Test
    void aRunResumedFromItsEpochCheckpointWritesTheSameLearngeneAsAnUninterruptedOne() throws Exception {
        Path ancestor = TestLearngenes.model(context.vit(), tmp.resolve("init"), 2, 1);
        Path out = tmp.resolve("lg");
        Path saved = tmp.resolve("saved-checkpoint");
        // 256 / 32 = 8 steps an epoch: at step 9 the checkpoint of epoch 1 is on disk, as a kill would leave it.
        JobContext snapshotting = new ListeningContext(context, (task, done, total, message) -> {
            if (task.equals("train") && done == 9) {
                copyTree(out.resolve(ModelDir.CHECKPOINT), saved);
            }
        });
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("ancestor", ancestor.toString(), "stages", "1,1",
                "data", "digits:256", "epochs", "2", "batch", "32", "seed", "7"));
        spec.put("out", out.toString());
        run(new LearngeneJob(), spec, snapshotting);
        assertTrue(Files.isDirectory(saved), "the epoch-1 checkpoint was seen");
        assertFalse(Files.exists(out.resolve(ModelDir.CHECKPOINT)), "the finished learngene drops its checkpoint");

        Path resumedOut = tmp.resolve("lg-resumed");
        copyTree(saved, resumedOut.resolve(ModelDir.CHECKPOINT));
        spec.put("out", resumedOut.toString());
        spec.put("resume", true);
        JobResult resumed = run(new LearngeneJob(), spec, context);
        assertEquals(1, resumed.json().get("resumed_from_epoch"));
        assertEquals(16L, ((Number) resumed.json().get("steps")).longValue(), "both epochs' steps are counted");
        Map<String, Tensor> expected = ModelDir.loadWeights(out);
        Map<String, Tensor> got = ModelDir.loadWeights(resumedOut);
        assertEquals(expected.keySet(), got.keySet());
        for (String name : expected.keySet()) {
            assertArrayEquals(expected.get(name).toFloats(), got.get(name).toFloats(), "bitwise: " + name);
        }
    }

    @Test
    void resumeWithoutACheckpointIsRefusedBeforeAnyWork() {
        Path ancestor = TestLearngenes.model(context.vit(), tmp.resolve("init"), 2, 1);
        TransfuseException e = assertThrows(TransfuseException.class, () -> validate(new LearngeneJob(),
                Map.of("ancestor", ancestor.toString(), "stages", "1,1", "data", "digits:256", "resume", true,
                        "out", tmp.resolve("lg").toString()), context));
        assertTrue(e.getMessage().startsWith("option --resume: no checkpoint at "), e.getMessage());
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            Files.createDirectories(to.getParent());
            for (Path p : walk.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test context with the given progress listener, as a front end's that cancels or watches. */
    private record ListeningContext(TestContext inner, ProgressListener listener) implements JobContext {
        @Override
        public ProgressListener progress(String label) {
            return listener;
        }

        @Override
        public void log(String line) {
            inner.log(line);
        }

        @Override
        public void checkCancelled() {
            inner.checkCancelled();
        }

        @Override
        public <T extends Plugin> T plugin(Class<T> type, String name) {
            return inner.plugin(type, name);
        }

        @Override
        public Dataset dataset(String spec, Split split) {
            return inner.dataset(spec, split);
        }

        @Override
        public Path input(String key, String path) {
            return inner.input(key, path);
        }

        @Override
        public Path output(String key, String given, String name) {
            return inner.output(key, given, name);
        }

        @Override
        public Path home() {
            return inner.home();
        }
    }
}
