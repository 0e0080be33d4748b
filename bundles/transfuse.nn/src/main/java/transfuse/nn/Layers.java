package transfuse.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/**
 * Functional layers: each is one fused libtorch op where one exists, because on two cores the
 * per-op overhead of the JNI bridge matters as much as the arithmetic.
 */
public final class Layers {
    private Layers() {
    }

    /** {@code x W^T + b} with W stored [out, in] as in PyTorch. */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }

    /** LayerNorm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, (float) eps).singletonOrThrow();
    }

    /** Exact GELU, {@code x Phi(x)} (libtorch's default, not the tanh approximation). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /** Mean cross-entropy of logits [B, classes] against int64 labels [B]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(-1);
        return logp.gather(labels.reshape(-1, 1), 1).mean().neg();
    }

    /** Number of rows whose arg-max equals the label. */
    public static long correct(NDArray logits, NDArray labels) {
        return logits.argMax(-1).eq(labels).sum().toLongArray()[0];
    }
}
