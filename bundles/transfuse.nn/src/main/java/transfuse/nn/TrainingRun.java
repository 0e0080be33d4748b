package transfuse.nn;

import java.util.Map;

import transfuse.api.arch.TrainOptions;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * Everything one training run needs.
 *
 * @param config    written into checkpoints
 * @param weights   the starting values of the trainable tensors, in a fixed order
 * @param extras    tensors carried through untouched (unknown extras of the model file)
 * @param model     the forward pass
 * @param train     the training examples
 * @param test      evaluated after every epoch, or null
 * @param options   the recipe
 * @param progress  receives loss, throughput and ETA after every step (and each epoch's summary)
 * @param afterStep called with the global step count after every optimizer step, or null
 *                  (benchmarks time steps with it; it must not touch the parameters)
 */
public record TrainingRun(ModelConfig config, Map<String, Tensor> weights, Map<String, Tensor> extras,
                          Classifier model, BatchSource train, BatchSource test, TrainOptions options,
                          ProgressListener progress, java.util.function.LongConsumer afterStep) {

    /** The same run as an {@link ObjectiveRun} minimising the classifier's cross-entropy. */
    public ObjectiveRun toObjectiveRun() {
        return new ObjectiveRun(config, weights, extras, Objective.classification(model, train, test, "img"), options,
                progress, afterStep);
    }
}
