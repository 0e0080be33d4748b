package transfuse.fusion;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;

/**
 * The loss along the straight path between model A and model B aligned to A. A low barrier
 * means the alignment put both models in one basin, where averaging works.
 */
public final class LossBarrier {
    private final FusionServices services;

    public LossBarrier(FusionServices services) {
        this.services = services;
    }

    /**
     * @param options how B is aligned to A (method vanilla: B as it is)
     * @param steps   points on the path, both ends included (at least 2)
     * @param data    the examples the loss is measured on
     */
    public BarrierCurve curve(Path a, Path b, FusionOptions options, int steps, Dataset data, ProgressListener progress) {
        if (steps < 2) {
            throw new TransfuseException("option steps: needs at least 2 points, got " + steps);
        }
        ModelConfig config;
        try (ModelDir d = ModelDir.open(a)) {
            config = d.config();
        }
        Map<String, Tensor> wa = FusionEngine.load(a);
        Map<String, Tensor> wb = new FusionEngine(services).alignToAnchor(a, b, options, progress);
        return along(options.method(), config, wa, wb, steps, data, null, evaluate(b, data), progress);
    }

    /** A model as it is (its own config: B may be wider than A) on the data a curve is measured on. */
    public Evaluation evaluate(Path model, Dataset data) {
        ModelConfig config;
        try (ModelDir d = ModelDir.open(model)) {
            config = d.config();
        }
        return services.architecture(config.modelType()).evaluate(config, FusionEngine.load(model), data, 256,
                ProgressListener.NONE);
    }

    /**
     * The curve between A and a B already aligned to A (e.g. by {@link FusionEngine#fuseAndAlign}).
     *
     * @param atA A's evaluation on {@code data} (the point lambda = 1), reused when not null: it is
     *            the same for every method compared against A
     * @param atB B's own evaluation on {@code data} (not B'), against which B' is checked
     */
    public BarrierCurve along(String method, ModelConfig config, Map<String, Tensor> wa, Map<String, Tensor> alignedB,
                              int steps, Dataset data, Evaluation atA, Evaluation atB, ProgressListener progress) {
        if (steps < 2) {
            throw new TransfuseException("option steps: needs at least 2 points, got " + steps);
        }
        Architecture arch = services.architecture(config.modelType());
        double[] lambdas = new double[steps];
        double[] losses = new double[steps];
        double[] accs = new double[steps];
        for (int i = 0; i < steps; i++) {
            double lambda = (double) i / (steps - 1);
            Evaluation e = i == steps - 1 && atA != null ? atA
                    : arch.evaluate(config, interpolate(wa, alignedB, lambda), data, 256, ProgressListener.NONE);
            lambdas[i] = lambda;
            losses[i] = e.loss();
            accs[i] = e.accuracy();
            progress.progress("barrier " + method, i + 1, steps,
                    String.format(java.util.Locale.ROOT, "lambda %.2f loss %.4f accuracy %.4f", lambda, e.loss(), e.accuracy()));
        }
        return new BarrierCurve(method, lambdas, losses, accs, atB.loss(), atB.accuracy());
    }

    /** The training split named by a spec, as barrier and fuse read it. */
    public Dataset trainingData(String spec) {
        return services.dataset(spec, Split.TRAIN);
    }

    /** {@code lambda a + (1 - lambda) b} for floating tensors; others (and extras) from a. */
    static Map<String, Tensor> interpolate(Map<String, Tensor> a, Map<String, Tensor> b, double lambda) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : a.entrySet()) {
            Tensor x = e.getValue();
            Tensor y = b.get(e.getKey());
            if (y == null || !x.dtype().isFloating()) {
                out.put(e.getKey(), x);
                continue;
            }
            float[] u = x.toFloats();
            float[] v = y.toFloats();
            for (int i = 0; i < u.length; i++) {
                u[i] = (float) (lambda * u[i] + (1 - lambda) * v[i]);
            }
            out.put(e.getKey(), Tensor.ofFloats(x.shape(), u));
        }
        return out;
    }
}
