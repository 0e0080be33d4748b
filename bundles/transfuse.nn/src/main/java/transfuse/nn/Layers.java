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

    /**
     * {@code x W^T + b} with W stored [out, in] as in PyTorch. Inputs of rank 3 or more are
     * flattened to [rows, in] around the op: libtorch's C++ {@code functional::linear} (which DJL
     * calls) fuses the bias into one {@code addmm} only for 2-D inputs and otherwise runs
     * {@code matmul} plus a broadcast {@code add_}, whose backward is several times more ops.
     */
    public static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        Shape s = x.getShape();
        if (s.dimension() <= 2 || bias == null) {
            return Linear.linear(x, weight, bias).singletonOrThrow();
        }
        long in = s.get(s.dimension() - 1);
        NDArray y = Linear.linear(x.reshape(s.size() / in, in), weight, bias).singletonOrThrow();
        long[] out = s.getShape();
        out[out.length - 1] = weight.getShape().get(0);
        return y.reshape(out);
    }

    /** LayerNorm over the last axis. */
    public static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta, double eps) {
        return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, (float) eps).singletonOrThrow();
    }

    /** Exact GELU, {@code x Phi(x)} (libtorch's default, not the tanh approximation). */
    public static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }

    /**
     * {@code x * factor}, safe under autograd. Never write {@code x.mul(Number)} (or {@code div},
     * {@code pow}, any op whose backward keeps its other operand) on a tensor that may require
     * gradients: DJL turns the number into a 0-dim tensor over a Java direct buffer (libtorch's
     * {@code from_blob}: no copy, not owned), closes it right after the op, and libtorch's autograd
     * keeps that tensor to scale the gradient in backward. A garbage collection between forward and
     * backward lets the JDK free the buffer, and backward reads freed memory (in practice ~0: the
     * step's query and key gradients vanish), so results depended on GC timing (docs/vit.md,
     * Reproducibility). Here the factor is a tensor libtorch allocates ({@code torch::full}), whose
     * storage the autograd graph keeps alive by reference count.
     */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray f = x.getManager().full(new Shape(), (float) factor)) {
            return x.mul(f);
        }
    }

    /** {@code x / divisor}, safe under autograd for the reason given at {@link #scale}. */
    public static NDArray divide(NDArray x, double divisor) {
        try (NDArray d = x.getManager().full(new Shape(), (float) divisor)) {
            return x.div(d);
        }
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
