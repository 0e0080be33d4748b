package transfuse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.arch.Evaluation;

/**
 * What a training run minimises, batch by batch, and how its test split is scored after each
 * epoch. Classification (one label per example) is {@link #classification}; objectives with
 * per-token targets (masked language modelling) implement this directly.
 */
public interface Objective {
    /** Number of training examples. */
    int size();

    /**
     * The scalar mean loss of the training examples at {@code indices}, computed under autograd.
     *
     * @param step the 0-based global optimizer step; objectives that draw random numbers per
     *             batch (MLM masking) seed them from it, so a resumed run draws the same
     */
    NDArray loss(Params params, NDManager manager, int[] indices, long step);

    /** The test split's score after an epoch, or null when there is none. */
    Evaluation evaluate(Params params);

    /** What one example is, for the throughput line (e.g. {@code img}, {@code seq}). */
    default String unit() {
        return "ex";
    }

    /** Mean cross-entropy of a classifier's logits against the labels of a batch source. */
    static Objective classification(Classifier model, BatchSource train, BatchSource test, String unit) {
        int[] labels = train.labels();
        return new Objective() {
            @Override
            public int size() {
                return train.size();
            }

            @Override
            public NDArray loss(Params params, NDManager manager, int[] indices, long step) {
                long[] y = new long[indices.length];
                for (int i = 0; i < indices.length; i++) {
                    y[i] = labels[indices[i]];
                }
                NDList inputs = train.inputs(manager, indices);
                NDArray yNd = NdTensors.fromLongs(manager, y, new Shape(y.length));
                return Layers.crossEntropy(model.logits(params, inputs, TapRecorder.NONE), yNd);
            }

            @Override
            public Evaluation evaluate(Params params) {
                return test == null ? null : Evaluator.evaluate(params, model, test, 512, (t, d, tot, m) -> { });
            }

            @Override
            public String unit() {
                return unit;
            }
        };
    }
}
