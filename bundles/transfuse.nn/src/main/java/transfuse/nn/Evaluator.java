package transfuse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Evaluation;
import transfuse.api.progress.ProgressListener;

/** Accuracy and mean cross-entropy over a labelled source, in order, without autograd. */
public final class Evaluator {
    private Evaluator() {
    }

    public static Evaluation evaluate(Params params, Classifier model, BatchSource source, int batchSize,
                                      ProgressListener progress) {
        int n = source.size();
        if (n == 0) {
            throw new TransfuseException("cannot evaluate on an empty data set");
        }
        long start = System.nanoTime();
        int[] labels = source.labels();
        long correct = 0;
        double lossSum = 0;
        try (GradMode off = GradMode.off()) {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                int[] idx = new int[to - from];
                long[] y = new long[to - from];
                for (int i = from; i < to; i++) {
                    idx[i - from] = i;
                    y[i - from] = labels[i];
                }
                try (NDScope scope = new NDScope()) {
                    NDList inputs = source.inputs(params.all().values().iterator().next().getManager(), idx);
                    NDArray yNd = NdTensors.fromLongs(inputs.head().getManager(), y, new Shape(y.length));
                    NDArray logits = model.logits(params, inputs, TapRecorder.NONE);
                    lossSum += Layers.crossEntropy(logits, yNd).getFloat() * (double) (to - from);
                    correct += Layers.correct(logits, yNd);
                }
                progress.progress("evaluate", to, n, "");
            }
        }
        return new Evaluation(n, (double) correct / n, lossSum / n, (System.nanoTime() - start) / 1e9);
    }
}
