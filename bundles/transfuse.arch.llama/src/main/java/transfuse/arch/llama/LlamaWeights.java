package transfuse.arch.llama;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/** Checks a Llama's weights against its declaration and splits them into declared tensors and extras. */
final class LlamaWeights {
    private LlamaWeights() {
    }

    /** @throws TransfuseException naming the first missing, mis-shaped or non-finite tensor */
    static void validate(LlamaConfig c, Map<String, Tensor> weights) {
        for (TensorSpec spec : LlamaGraph.of(c).tensors()) {
            check(spec, weights.get(spec.name()));
        }
    }

    static void check(TensorSpec spec, Tensor t) {
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
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new TransfuseException("tensor " + spec.name() + " holds " + v[i] + " at flat index " + i);
            }
        }
    }

    /** The tensors the model computes with, in declaration order. */
    static Map<String, Tensor> declared(LlamaConfig c, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : LlamaGraph.of(c).tensors()) {
            out.put(spec.name(), weights.get(spec.name()));
        }
        return out;
    }

    /** The tensors that are not declared (preserved through training). */
    static Map<String, Tensor> extras(LlamaConfig c, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>(weights);
        for (TensorSpec spec : LlamaGraph.of(c).tensors()) {
            out.remove(spec.name());
        }
        return out;
    }
}
