package transfuse.api.arch;

import java.util.Map;

import transfuse.api.tensor.Tensor;

/**
 * The outputs of a forward pass; what was not requested is null (or absent from {@code taps}).
 *
 * @param logits float32 [N, classes]
 * @param hidden float32 [N, T, d]
 * @param taps   per tap, float32 [rows, space size]: one row per kept token of each sample,
 *               sample-major (sample 0's kept tokens first); columns in the space's neuron order
 *               (for a headed space: head-major, {@code head * headDim + dim})
 */
public record ForwardResult(Tensor logits, Tensor hidden, Map<String, Tensor> taps) {
    public ForwardResult {
        taps = Map.copyOf(taps);
    }
}
