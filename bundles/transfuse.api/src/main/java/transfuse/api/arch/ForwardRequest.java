package transfuse.api.arch;

import java.util.Map;
import java.util.Set;

import transfuse.api.tensor.Tensor;

/**
 * What to compute in a forward pass.
 *
 * @param inputs    model inputs by HF name: ViT {@code pixel_values} float32 [N, C, H, W];
 *                  BERT {@code input_ids} int64 [N, T] (+ {@code attention_mask})
 * @param logits    return the head's output [N, classes]
 * @param hidden    return the last hidden state [N, T, d] (after the final norm for ViT)
 * @param taps      names of taps (see {@link transfuse.api.model.ModelGraph#taps()}) to return
 * @param tokens    which token positions a tap keeps
 * @param batchSize samples per internal batch (memory bound; results do not depend on it)
 */
public record ForwardRequest(Map<String, Tensor> inputs, boolean logits, boolean hidden, Set<String> taps,
                             TokenWindow tokens, int batchSize) {
    public ForwardRequest {
        inputs = Map.copyOf(inputs);
        taps = Set.copyOf(taps);
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
    }

    /** Logits only, in batches of 256. */
    public static ForwardRequest logits(Map<String, Tensor> inputs) {
        return new ForwardRequest(inputs, true, false, Set.of(), TokenWindow.ALL, 256);
    }

    /** The activations at the given taps only. */
    public static ForwardRequest taps(Map<String, Tensor> inputs, Set<String> taps, TokenWindow tokens) {
        return new ForwardRequest(inputs, false, false, taps, tokens, 256);
    }
}
