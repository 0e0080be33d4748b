package transfuse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** A model's forward pass from its inputs to class logits [B, classes]. */
@FunctionalInterface
public interface Classifier {
    NDArray logits(Params params, NDList inputs, TapRecorder taps);
}
