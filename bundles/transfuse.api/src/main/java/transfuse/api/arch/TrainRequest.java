package transfuse.api.arch;

import java.util.Map;

import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * One training run.
 *
 * @param config       the model to train
 * @param train        the training split
 * @param test         evaluated after every epoch when not null
 * @param init         starting weights by HF name (fine-tuning a fused model); null for a fresh
 *                     initialization from {@code options.seed()}
 * @param options      the recipe
 * @param sharedLayers null for ordinary training; else, for each layer i of the model, the layer
 *                     whose parameters layer i uses ({@code sharedLayers[sharedLayers[i]] ==
 *                     sharedLayers[i]}): one trainable parameter set per distinct entry, applied
 *                     at every layer mapped to it (stage-wise weight sharing); layer i starts
 *                     from its representative's initial values
 * @param distillation null, or the teacher whose outputs the loss also matches
 */
public record TrainRequest(ModelConfig config, Dataset train, Dataset test, Map<String, Tensor> init,
                           TrainOptions options, int[] sharedLayers, Distillation distillation) {

    /** Ordinary training: no shared layers, no teacher. */
    public TrainRequest(ModelConfig config, Dataset train, Dataset test, Map<String, Tensor> init,
                        TrainOptions options) {
        this(config, train, test, init, options, null, null);
    }
}
