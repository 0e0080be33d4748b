package transfuse.nn;

import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import transfuse.api.arch.Evaluation;

/**
 * The running score of a language-model evaluation over target tokens, batch by batch: the summed
 * cross-entropy (added in float64, so many batches do not pile up float32 rounding), the targets
 * predicted exactly by argmax, and their count. Seconds count from construction.
 */
public final class TokenTargetScores {
    private final long start = System.nanoTime();
    private double lossSum;
    private long correct;
    private long targets;

    /**
     * Adds one batch. Call without gradients, inside an NDScope.
     *
     * @param logits    [N, V], one row per target
     * @param targetIds the N target token ids
     */
    public void add(NDManager m, NDArray logits, long[] targetIds) {
        NDArray y = NdTensors.fromLongs(m, targetIds, new Shape(targetIds.length, 1));
        lossSum -= logits.logSoftmax(-1).gather(y, 1).toType(DataType.FLOAT64, false).sum().getDouble();
        correct += logits.argMax(-1).eq(y.reshape(-1)).sum().toLongArray()[0];
        targets += targetIds.length;
    }

    public long targets() {
        return targets;
    }

    /** The mean cross-entropy per target; NaN before any target. */
    public double loss() {
        return lossSum / targets;
    }

    /** Accuracy and mean loss over the targets of {@code examples} texts, with the caller's metrics. */
    public Evaluation evaluation(long examples, Map<String, Double> metrics) {
        return new Evaluation(examples, (double) correct / targets, loss(), (System.nanoTime() - start) / 1e9, metrics);
    }
}
