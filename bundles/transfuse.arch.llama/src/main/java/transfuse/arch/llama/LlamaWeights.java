package transfuse.arch.llama;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.arch.common.DeclaredTensors;

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

    /** The declared shape and a floating dtype, and (unlike BERT's check) only finite values. */
    static void check(TensorSpec spec, Tensor t) {
        DeclaredTensors.check(spec, t);
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                throw new TransfuseException("tensor " + spec.name() + " holds " + v[i] + " at flat index " + i);
            }
        }
    }

    /** The tensors the model computes with, in declaration order. */
    static Map<String, Tensor> declared(LlamaConfig c, Map<String, Tensor> weights) {
        return DeclaredTensors.declared(LlamaGraph.of(c).tensors(), weights);
    }

    /** The tensors that are not declared (preserved through training). */
    static Map<String, Tensor> extras(LlamaConfig c, Map<String, Tensor> weights) {
        return DeclaredTensors.extras(LlamaGraph.of(c).tensors(), weights);
    }
}
