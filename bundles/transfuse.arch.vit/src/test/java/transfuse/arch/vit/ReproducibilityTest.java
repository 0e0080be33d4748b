package transfuse.arch.vit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.data.DatasetCatalog;
import transfuse.nn.Objective;
import transfuse.nn.ObjectiveRun;
import transfuse.nn.Params;
import transfuse.nn.Trainer;
import transfuse.nn.TrainingRun;

/**
 * The same spec and seed give bitwise-identical weights whatever the JVM's garbage collector does
 * during training. Before the fix, a collection between a step's forward and backward freed the
 * Java buffer of the attention scale that libtorch's autograd graph still read in backward (DJL's
 * {@code NDArray.mul(Number)}), so that step's query and key gradients came out as zero and the
 * result depended on allocation and GC timing (docs/vit.md, Reproducibility).
 */
class ReproducibilityTest {
    private final ModelConfig config = Vits.tiny(16, 1, 2, 32, 8, 2, 1, 10);
    private final VitConfig c = VitConfig.of(config);
    private final ImageBatches train = ImageBatches.of(new DatasetCatalog().open("digits:256", Split.TRAIN), c);
    private final TrainOptions options = new TrainOptions(2, 32, 3e-3, 0.05, 0.1, 1.0, 7, null, false);

    @Test
    void garbageCollectionDuringTrainingDoesNotChangeABitOfTheWeights() {
        Vits.vit(); // DJL initialized
        Map<String, Tensor> quiet = train(ProgressListener.NONE, false);

        AtomicInteger reports = new AtomicInteger();
        Map<String, Tensor> collected = train((task, done, total, message) -> {
            if (task.equals("train")) {
                reports.incrementAndGet();
            }
            collectGarbage();
        }, true);

        int steps = options.epochs() * (train.size() / options.batchSize());
        assertEquals(steps, reports.get(), "the trainer reports every step");
        assertEquals(quiet.keySet(), collected.keySet());
        List<String> differing = new ArrayList<>();
        for (String name : quiet.keySet()) {
            float[] a = quiet.get(name).toFloats();
            float[] b = collected.get(name).toFloats();
            for (int i = 0; i < a.length; i++) {
                if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                    differing.add(name);
                    break;
                }
            }
        }
        if (!differing.isEmpty()) {
            fail("weights differ bitwise after garbage collection during training: " + differing);
        }
    }

    /**
     * A training run of the tiny ViT on 256 digits; with {@code collectMidStep}, garbage is
     * collected (and the JDK's cleaners given time to free direct buffers) between every step's
     * forward pass and its backward pass.
     */
    private Map<String, Tensor> train(ProgressListener progress, boolean collectMidStep) {
        ObjectiveRun run = new TrainingRun(config, VitInit.weights(c, options.seed()), Map.of(), new VitModel(c), train,
                null, options, progress, null).toObjectiveRun();
        Objective objective = collectMidStep ? collectingAfterForward(run.objective()) : run.objective();
        return Trainer.train(new ObjectiveRun(run.config(), run.weights(), run.extras(), objective, run.options(),
                run.progress(), run.afterStep())).weights();
    }

    private static Objective collectingAfterForward(Objective o) {
        return new Objective() {
            @Override
            public int size() {
                return o.size();
            }

            @Override
            public NDArray loss(Params params, NDManager manager, int[] indices, long step) {
                NDArray loss = o.loss(params, manager, indices, step);
                collectGarbage();
                return loss;
            }

            @Override
            public Evaluation evaluate(Params params) {
                return o.evaluate(params);
            }
        };
    }

    static Object sink;

    /** Heavy garbage (heap arrays and direct buffers), a full collection, time for the cleaners. */
    static void collectGarbage() {
        List<Object> junk = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            junk.add(new byte[20_000 + 97 * i]);
            junk.add(java.nio.ByteBuffer.allocateDirect(8 + 64 * i));
        }
        sink = junk;
        sink = null;
        System.gc();
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
