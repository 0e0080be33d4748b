package transfuse.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.locks.ReentrantLock;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import transfuse.api.TransfuseException;
import transfuse.api.arch.EpochReport;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainResult;
import transfuse.api.tensor.Tensor;

/**
 * The training loop: per step, forward and backward inside an {@link NDScope} under a gradient
 * collector, then the AdamW update outside both. Deterministic for a seed on one machine: the
 * shuffle of epoch e is a pure function of (seed, e), libtorch's CPU kernels are deterministic
 * for a fixed thread count, and nothing the autograd graph reads in backward lives in memory the
 * JVM may free during the step (inputs and labels over Java buffers stay open in the step's scope
 * until after backward; scalars go through {@link Layers#scale}), so neither garbage collection
 * nor what the progress listener does changes a bit of the result. Progress is reported after
 * every step, so a listener can cancel between batches; front ends rate-limit what they show.
 * Runs are serialised process-wide because DJL's PyTorch engine allows one collecting
 * {@link GradientCollector} at a time.
 */
public final class Trainer {
    /** DJL's PyTorch gradient collector is a process-wide singleton; queue rather than fail. */
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock(true);

    private Trainer() {
    }

    public static TrainResult train(TrainingRun run) {
        return train(run.toObjectiveRun());
    }

    /** Trains any objective (masked language modelling, classification) with the same loop. */
    public static TrainResult train(ObjectiveRun run) {
        ONE_AT_A_TIME.lock();
        long largest = run.weights().values().stream().mapToLong(Tensor::numel).max().orElse(0);
        try (TorchThreads.Restore threads = TorchThreads.forTraining(largest);
             NDManager root = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            return new Loop(run, root).run();
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /** The order of epoch {@code epoch}'s examples: a Fisher-Yates shuffle seeded from (seed, epoch). */
    static int[] epochOrder(int n, long seed, int epoch) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static final class Loop {
        private final ObjectiveRun run;
        private final TrainOptions o;
        private final NDManager root;

        Loop(ObjectiveRun run, NDManager root) {
            this.run = run;
            this.o = run.options();
            this.root = root;
        }

        TrainResult run() {
            int n = run.objective().size();
            if (n == 0) {
                throw new TransfuseException("cannot train on an empty data set");
            }
            int batch = Math.min(o.batchSize(), n);
            int stepsPerEpoch = n / batch;
            long totalSteps = (long) stepsPerEpoch * o.epochs();
            LearningRateSchedule schedule = LearningRateSchedule.of(o.lr(), o.warmup(), totalSteps);

            Map<String, Tensor> start = run.weights();
            Optional<Checkpoint> resumed = o.resume() && o.checkpointDir() != null
                    ? Checkpoint.read(o.checkpointDir()) : Optional.empty();
            int firstEpoch = 1;
            if (resumed.isPresent()) {
                Checkpoint c = resumed.get();
                if (!c.config().fields().equals(run.config().fields())) {
                    throw new TransfuseException(o.checkpointDir() + ": checkpoint was written for a different"
                            + " model config; delete it or train into another directory");
                }
                start = new LinkedHashMap<>();
                for (String name : run.weights().keySet()) {
                    Tensor t = c.weights().get(name);
                    if (t == null) {
                        throw new TransfuseException(o.checkpointDir() + ": checkpoint lacks tensor " + name);
                    }
                    start.put(name, t);
                }
                firstEpoch = c.epoch() + 1;
            }
            Params params = Params.of(root, start, true, run.shared());
            AdamW adam = new AdamW(params, o.weightDecay(), o.clipNorm());
            resumed.ifPresent(c -> adam.restore(c.optimizer(), c.steps()));

            List<EpochReport> reports = new ArrayList<>();
            Engine engine = Engine.getEngine("PyTorch");
            long trainStart = System.nanoTime();
            long stepsThisRun = 0;
            long stepsToRun = (long) stepsPerEpoch * (o.epochs() - firstEpoch + 1);
            for (int epoch = firstEpoch; epoch <= o.epochs(); epoch++) {
                int[] order = epochOrder(n, o.seed(), epoch);
                long epochStart = System.nanoTime();
                double lossSum = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    int[] idx = new int[batch];
                    for (int i = 0; i < batch; i++) {
                        idx[i] = order[s * batch + i];
                    }
                    float loss;
                    try (NDScope scope = new NDScope()) {
                        try (GradientCollector gc = engine.newGradientCollector()) {
                            NDArray lossNd = run.objective().loss(params, root, idx, adam.steps());
                            gc.backward(lossNd);
                            loss = lossNd.getFloat();
                        }
                    }
                    if (!Float.isFinite(loss)) {
                        throw new TransfuseException("training diverged at epoch " + epoch + " step " + (s + 1)
                                + " (loss " + loss + "); lower the learning rate");
                    }
                    adam.update(params, schedule.at(adam.steps()));
                    if (run.afterStep() != null) {
                        run.afterStep().accept(adam.steps());
                    }
                    lossSum += loss;
                    stepsThisRun++;
                    double elapsed = (System.nanoTime() - trainStart) / 1e9;
                    double perSecond = stepsThisRun * (double) batch / elapsed;
                    double eta = elapsed / stepsThisRun * (stepsToRun - stepsThisRun);
                    run.progress().progress("train", adam.steps(), totalSteps, String.format(java.util.Locale.ROOT,
                            "epoch %d/%d loss %.4f %.0f %s/s ETA %s", epoch, o.epochs(), lossSum / (s + 1),
                            perSecond, run.objective().unit(), duration(eta)));
                }
                double seconds = (System.nanoTime() - epochStart) / 1e9;
                Evaluation test = run.objective().evaluate(params);
                EpochReport report = new EpochReport(epoch, stepsPerEpoch, lossSum / stepsPerEpoch, seconds,
                        stepsPerEpoch * (double) batch / seconds, test);
                reports.add(report);
                run.progress().progress("epoch", epoch, o.epochs(), String.format(java.util.Locale.ROOT,
                        "epoch %d/%d train loss %.4f %.1f s %.0f %s/s%s", epoch, o.epochs(), report.trainLoss(),
                        seconds, report.examplesPerSecond(), run.objective().unit(), test == null ? "" : String.format(java.util.Locale.ROOT,
                                " test accuracy %.4f loss %.4f", test.accuracy(), test.loss())));
                if (o.checkpointDir() != null) {
                    new Checkpoint(run.config(), withExtras(params.toTensors()), adam.state(), epoch, adam.steps())
                            .write(o.checkpointDir());
                }
            }
            return new TrainResult(withExtras(params.toTensors()), reports, firstEpoch - 1);
        }

        private Map<String, Tensor> withExtras(Map<String, Tensor> trained) {
            Map<String, Tensor> out = new LinkedHashMap<>(trained);
            run.extras().forEach(out::putIfAbsent);
            return out;
        }
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(java.util.Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }
}
