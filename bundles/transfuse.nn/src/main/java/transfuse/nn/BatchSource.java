package transfuse.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/** Labelled examples that a training loop or evaluation reads in batches of arbitrary indices. */
public interface BatchSource {
    int size();

    /** The label of every example, by index. */
    int[] labels();

    /** Model inputs for the examples at {@code indices}, created on {@code manager}. */
    NDList inputs(NDManager manager, int[] indices);
}
