package transfuse.api.arch;

import java.util.List;
import java.util.Map;

import transfuse.api.tensor.Tensor;

/**
 * The outcome of a training run.
 *
 * @param weights the trained tensors by HF name (float32)
 * @param epochs  one report per epoch run in this call (a resumed run lists only the new ones)
 * @param resumedFromEpoch the last epoch restored from a checkpoint, 0 for a fresh start
 */
public record TrainResult(Map<String, Tensor> weights, List<EpochReport> epochs, int resumedFromEpoch) {
    public TrainResult {
        weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
        epochs = List.copyOf(epochs);
    }
}
