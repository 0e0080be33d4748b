package transfuse.nn;

import java.util.Map;

import transfuse.api.arch.TrainOptions;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * A training run of any {@link Objective}; {@link TrainingRun} is the classification case.
 *
 * @param config    written into checkpoints
 * @param weights   the starting values of the trainable tensors, in a fixed order
 * @param extras    tensors carried through untouched (unknown extras of the model file)
 * @param objective the loss per batch and the test score per epoch
 * @param options   the recipe
 * @param progress  receives loss, throughput and ETA after every step (and each epoch's summary)
 * @param afterStep called with the global step count after every optimizer step, or null
 * @param shared    names bound to another name's parameter array ({@link Params#sharedLayers}),
 *                  empty for none
 */
public record ObjectiveRun(ModelConfig config, Map<String, Tensor> weights, Map<String, Tensor> extras,
                           Objective objective, TrainOptions options, ProgressListener progress,
                           java.util.function.LongConsumer afterStep, Map<String, String> shared) {

    /** A run without shared parameters. */
    public ObjectiveRun(ModelConfig config, Map<String, Tensor> weights, Map<String, Tensor> extras,
                        Objective objective, TrainOptions options, ProgressListener progress,
                        java.util.function.LongConsumer afterStep) {
        this(config, weights, extras, objective, options, progress, afterStep, Map.of());
    }
}
