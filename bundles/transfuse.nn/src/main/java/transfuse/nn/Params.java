package transfuse.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

/** A model's parameters as NDArrays keyed by HF tensor name, in a fixed (insertion) order. */
public final class Params {
    private final Map<String, NDArray> byName = new LinkedHashMap<>();

    /** Float32 copies of the tensors, optionally attached to autograd. */
    public static Params of(NDManager manager, Map<String, Tensor> tensors, boolean trainable) {
        Params p = new Params();
        tensors.forEach((name, t) -> {
            NDArray a = NdTensors.toFloat32(manager, t);
            if (trainable) {
                a.setRequiresGradient(true);
            }
            p.byName.put(name, a);
        });
        return p;
    }

    /** @throws TransfuseException when the tensor is absent (validation should have caught it) */
    public NDArray get(String name) {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new TransfuseException("missing tensor " + name);
        }
        return a;
    }

    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(byName);
    }

    /** Float32 tensors in parameter order. */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        byName.forEach((name, a) -> out.put(name, NdTensors.toTensor(a)));
        return out;
    }
}
