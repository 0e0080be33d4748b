package transfuse.api.arch;

import java.util.Map;

import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * One training run.
 *
 * @param config  the model to train
 * @param train   the training split
 * @param test    evaluated after every epoch when not null
 * @param init    starting weights by HF name (fine-tuning a fused model); null for a fresh
 *                initialization from {@code options.seed()}
 * @param options the recipe
 */
public record TrainRequest(ModelConfig config, Dataset train, Dataset test, Map<String, Tensor> init,
                           TrainOptions options) {
}
