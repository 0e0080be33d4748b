package transfuse.arch.vit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;
import transfuse.io.config.ModelDir;

/** Training and evaluation on tiny models and the bundled digits data (8 x 8, fast). */
class TrainingTest {
    private final VitArchitecture vit = Vits.vit();
    private final DatasetCatalog data = new DatasetCatalog();
    private final Dataset train = data.open("digits:256", Split.TRAIN);
    private final Dataset test = data.open("digits", Split.TEST);
    private final ModelConfig config = Vits.tiny(16, 1, 2, 32, 8, 2, 1, 10);
    private final TrainOptions options = new TrainOptions(2, 32, 3e-3, 0.05, 0.1, 1.0, 7, null, false);

    @Test
    void sameSeedGivesBitwiseIdenticalWeightsAndAnotherSeedDoesNot() {
        Map<String, Tensor> a = vit.train(new TrainRequest(config, train, null, null, options), ProgressListener.NONE).weights();
        Map<String, Tensor> b = vit.train(new TrainRequest(config, train, null, null, options), ProgressListener.NONE).weights();
        Map<String, Tensor> c = vit.train(new TrainRequest(config, train, null, null, options.withSeed(8)),
                ProgressListener.NONE).weights();
        for (String name : a.keySet()) {
            assertArrayEquals(a.get(name).toFloats(), b.get(name).toFloats(), name);
        }
        String w = "vit.encoder.layer.0.intermediate.dense.weight";
        assertFalse(java.util.Arrays.equals(a.get(w).toFloats(), c.get(w).toFloats()));
    }

    @Test
    void trainingLearnsDigitsAndReportsProgress() {
        List<String> messages = new ArrayList<>();
        TrainResult r = vit.train(new TrainRequest(config, data.open("digits", Split.TRAIN), test, null,
                options.withEpochs(6).withLr(1e-2)), (task, done, total, message) -> messages.add(task + " " + message));
        Evaluation first = r.epochs().get(0).test();
        Evaluation last = r.epochs().get(5).test();
        assertTrue(last.loss() < first.loss(), "test loss falls: " + first.loss() + " -> " + last.loss());
        assertTrue(last.accuracy() > 0.5, "well above chance (0.1): " + last.accuracy());
        Evaluation again = vit.evaluate(config, r.weights(), test, 100, ProgressListener.NONE);
        assertEquals(last.accuracy(), again.accuracy(), 1e-12, "evaluate agrees with the per-epoch evaluation");
        assertEquals(test.size(), again.examples());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("train ") && m.contains("img/s") && m.contains("ETA")
                && m.contains("loss")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.startsWith("epoch ") && m.contains("test accuracy")));
    }

    @Test
    void anInterruptedRunResumesFromItsCheckpointToTheSameWeights(@TempDir Path dir) {
        TrainOptions three = options.withEpochs(3);
        Map<String, Tensor> straight = vit.train(new TrainRequest(config, train, null, null, three),
                ProgressListener.NONE).weights();

        Path ckpt = dir.resolve("ckpt");
        int stepsPerEpoch = train.size() / three.batchSize();
        RuntimeException crash = new RuntimeException("simulated crash");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> vit.train(
                new TrainRequest(config, train, null, null, three.withCheckpoints(ckpt, false)), ProgressListener.NONE,
                step -> {
                    if (step == stepsPerEpoch + 3) {
                        throw crash; // during epoch 2: the checkpoint holds epoch 1
                    }
                }));
        assertEquals(crash, thrown);
        try (ModelDir m = ModelDir.open(ckpt)) {
            assertEquals("1", m.weights().metadata().get("epoch"), "a checkpoint is a model directory");
            assertEquals(config.fields(), m.config().fields());
        }
        TrainResult resumed = vit.train(new TrainRequest(config, train, null, null, three.withCheckpoints(ckpt, true)),
                ProgressListener.NONE);
        assertEquals(1, resumed.resumedFromEpoch());
        assertEquals(2, resumed.epochs().size());
        for (String name : straight.keySet()) {
            assertArrayEquals(straight.get(name).toFloats(), resumed.weights().get(name).toFloats(), name);
        }
    }

    @Test
    void fineTuningStartsFromTheGivenWeightsAndKeepsExtras() {
        Map<String, Tensor> init = new java.util.LinkedHashMap<>(vit.initialize(config, 3));
        init.put("extra.tensor", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        TrainResult r = vit.train(new TrainRequest(config, train, null, init, options.withEpochs(1)), ProgressListener.NONE);
        assertArrayEquals(new float[] {1, 2}, r.weights().get("extra.tensor").toFloats());
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(init);
        bad.remove("classifier.bias");
        assertThrows(TransfuseException.class, () -> vit.train(new TrainRequest(config, train, null, bad, options),
                ProgressListener.NONE));
    }

    @Test
    void anEmptyDataSetIsRejected() {
        Dataset empty = new EmptyImages();
        assertEquals("empty (train) holds no examples", assertThrows(TransfuseException.class,
                () -> vit.train(new TrainRequest(config, empty, null, null, options), ProgressListener.NONE)).getMessage());
        assertThrows(TransfuseException.class, () -> vit.evaluate(config, vit.initialize(config, 1), empty, 8,
                ProgressListener.NONE));
    }

    /** A labelled image data set with no examples. */
    private static final class EmptyImages implements Dataset {
        @Override public String name() { return "empty"; }
        @Override public Split split() { return Split.TRAIN; }
        @Override public int size() { return 0; }
        @Override public transfuse.api.data.Modality modality() { return transfuse.api.data.Modality.IMAGE; }
        @Override public List<String> classNames() { return List.of("a", "b"); }
        @Override public long[] imageShape() { return new long[] {1, 8, 8}; }
        @Override public Tensor images(int from, int to) { return Tensor.ofFloats(new long[] {0, 1, 8, 8}, new float[0]); }
        @Override public List<String> texts(int from, int to) { throw new TransfuseException("no texts"); }
        @Override public int[] labels(int from, int to) { return new int[0]; }
        @Override public String attribution() { return ""; }
    }
}
