package transfuse.arch.common;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * A model's weights against the tensors its graph declares: the check that each declared tensor
 * is there with its shape and a floating dtype, and the split into declared tensors (what the
 * model computes with) and extras (kept through training).
 */
public final class DeclaredTensors {
    private DeclaredTensors() {
    }

    /** @throws TransfuseException naming the first missing or mis-shaped tensor */
    public static void validate(List<TensorSpec> specs, Map<String, Tensor> weights) {
        for (TensorSpec spec : specs) {
            check(spec, weights.get(spec.name()));
        }
    }

    /** @throws TransfuseException when t (null for missing) is not the spec's shape or not floating */
    public static void check(TensorSpec spec, Tensor t) {
        if (t == null) {
            throw new TransfuseException("missing tensor " + spec.name() + " (expected shape "
                    + Arrays.toString(spec.shape()) + ")");
        }
        if (!Arrays.equals(t.shape(), spec.shape())) {
            throw new TransfuseException("tensor " + spec.name() + ": expected shape " + Arrays.toString(spec.shape())
                    + " from the config, found " + Arrays.toString(t.shape()));
        }
        if (!t.dtype().isFloating()) {
            throw new TransfuseException("tensor " + spec.name() + ": expected a floating dtype, found " + t.dtype());
        }
    }

    /** The declared tensors, in declaration order. */
    public static Map<String, Tensor> declared(List<TensorSpec> specs, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : specs) {
            out.put(spec.name(), weights.get(spec.name()));
        }
        return out;
    }

    /** The tensors that are not declared, in their order. */
    public static Map<String, Tensor> extras(List<TensorSpec> specs, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>(weights);
        for (TensorSpec spec : specs) {
            out.remove(spec.name());
        }
        return out;
    }
}
