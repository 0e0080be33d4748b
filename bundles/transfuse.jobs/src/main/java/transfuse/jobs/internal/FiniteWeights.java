package transfuse.jobs.internal;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/**
 * Refuses weights holding NaN or infinity before a model is run: its outputs would be NaN and
 * a loss of "NaN" is no answer. (Fusion and barriers refuse them the same way.)
 */
public final class FiniteWeights {
    private FiniteWeights() {
    }

    /** @throws TransfuseException naming the file and the first tensor that is not finite */
    public static Map<String, Tensor> check(Path dir, Map<String, Tensor> weights) {
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype().isFloating() && !finite(t)) {
                throw new TransfuseException(dir.resolve("model.safetensors") + ": tensor " + e.getKey()
                        + " holds NaN or infinite values");
            }
        }
        return weights;
    }

    private static boolean finite(Tensor t) {
        if (t.dtype() == DType.F32) {
            ByteBuffer b = t.data();
            while (b.remaining() >= 4) {
                if (!Float.isFinite(b.getFloat())) {
                    return false;
                }
            }
            return true;
        }
        if (t.dtype() == DType.F64) {
            ByteBuffer b = t.data();
            while (b.remaining() >= 8) {
                if (!Double.isFinite(b.getDouble())) {
                    return false;
                }
            }
            return true;
        }
        for (double v : t.toDoubles()) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
