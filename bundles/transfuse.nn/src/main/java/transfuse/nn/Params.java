package transfuse.nn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import transfuse.api.TransfuseException;
import transfuse.api.model.ModelGraph;
import transfuse.api.tensor.Tensor;

/**
 * A model's parameters as NDArrays keyed by HF tensor name, in a fixed (insertion) order. Names
 * may be aliases of another name's array (shared layers): the forward pass looks every name up
 * as usual and autograd sums a shared array's gradients over its uses; the optimizer updates
 * each {@link #distinct} array once.
 */
public final class Params {
    private final Map<String, NDArray> byName = new LinkedHashMap<>();
    private final Map<String, NDArray> distinct = new LinkedHashMap<>();

    /** Float32 copies of the tensors, optionally attached to autograd. */
    public static Params of(NDManager manager, Map<String, Tensor> tensors, boolean trainable) {
        return of(manager, tensors, trainable, Map.of());
    }

    /**
     * As {@link #of(NDManager, Map, boolean)}, with every name in {@code aliases} bound to the
     * array of the name it maps to (which must map to no other name); the aliases' own values
     * are not read.
     */
    public static Params of(NDManager manager, Map<String, Tensor> tensors, boolean trainable,
                            Map<String, String> aliases) {
        Params p = new Params();
        tensors.forEach((name, t) -> {
            if (!aliases.containsKey(name)) {
                NDArray a = NdTensors.toFloat32(manager, t);
                if (trainable) {
                    a.setRequiresGradient(true);
                }
                p.distinct.put(name, a);
            }
        });
        for (String name : tensors.keySet()) {
            String target = aliases.getOrDefault(name, name);
            NDArray a = p.distinct.get(target);
            if (a == null) {
                throw new TransfuseException(name + " is to share the parameters of " + target
                        + ", which is " + (tensors.containsKey(target) ? "itself shared" : "not a parameter"));
            }
            p.byName.put(name, a);
        }
        return p;
    }

    /**
     * The aliases that make layer i use layer {@code sourceLayer[i]}'s parameters: the k-th
     * declared tensor of layer i maps to the k-th of its source layer (layers declared by one
     * loop list corresponding tensors in the same order), for every i whose source is another
     * layer.
     *
     * @throws TransfuseException when the map's length is not the depth, an entry is out of
     *         range or names a layer that itself shares another's, or the two layers differ
     */
    public static Map<String, String> sharedLayers(ModelGraph graph, int[] sourceLayer) {
        int depth = graph.layers().size();
        if (sourceLayer.length != depth) {
            throw new TransfuseException("the shared-layer map has " + sourceLayer.length + " entries for "
                    + depth + " layers");
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        for (int i = 0; i < depth; i++) {
            int s = sourceLayer[i];
            if (s < 0 || s >= depth || sourceLayer[s] != s) {
                throw new TransfuseException("layer " + i + " is to share layer " + s + "'s parameters, which must be"
                        + " a layer 0 .. " + (depth - 1) + " that shares no other's");
            }
            if (s == i) {
                continue;
            }
            List<String> own = graph.layers().get(i).tensors();
            List<String> from = graph.layers().get(s).tensors();
            if (own.size() != from.size()) {
                throw new TransfuseException("layers " + i + " and " + s + " declare different tensors; only alike"
                        + " layers can share parameters");
            }
            for (int k = 0; k < own.size(); k++) {
                if (!java.util.Arrays.equals(graph.tensor(own.get(k)).shape(), graph.tensor(from.get(k)).shape())) {
                    throw new TransfuseException("tensors " + own.get(k) + " and " + from.get(k)
                            + " differ in shape; only alike layers can share parameters");
                }
                aliases.put(own.get(k), from.get(k));
            }
        }
        return aliases;
    }

    /** @throws TransfuseException when the tensor is absent (validation should have caught it) */
    public NDArray get(String name) {
        NDArray a = byName.get(name);
        if (a == null) {
            throw new TransfuseException("missing tensor " + name);
        }
        return a;
    }

    /** Every name, aliases included. */
    public Map<String, NDArray> all() {
        return Collections.unmodifiableMap(byName);
    }

    /** One entry per distinct array (aliases left out): what an optimizer updates. */
    public Map<String, NDArray> distinct() {
        return Collections.unmodifiableMap(distinct);
    }

    /** Float32 tensors in parameter order; an alias holds its shared array's values. */
    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        byName.forEach((name, a) -> out.put(name, NdTensors.toTensor(a)));
        return out;
    }
}
