package transfuse.api.model;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An architecture's declaration of a concrete model: its neuron spaces in topological order,
 * the space of every tensor axis, the taps, the joins and the layers. This is the "transport map
 * flow graph" of Imfeld et al. and the "permutation spec" of Git Re-Basin; the fusion engine works
 * from it alone and never names an architecture.
 *
 * @param layers the model's layers 0 .. L-1 (possibly none); each space and tensor lies in at most
 *               one. A layer's residual streams are read from the joins
 *               ({@link #streamEntering}, {@link #streamLeaving}).
 */
public record ModelGraph(List<NeuronSpace> spaces, List<TensorSpec> tensors, List<Tap> taps, List<Join> joins,
                         List<Layer> layers) {
    public ModelGraph {
        spaces = List.copyOf(spaces);
        tensors = List.copyOf(tensors);
        taps = List.copyOf(taps);
        joins = List.copyOf(joins);
        layers = List.copyOf(layers);
        Map<String, NeuronSpace> byName = new HashMap<>();
        for (NeuronSpace s : spaces) {
            if (byName.put(s.name(), s) != null) {
                throw new IllegalArgumentException("duplicate space " + s.name());
            }
        }
        for (TensorSpec t : tensors) {
            for (int axis = 0; axis < t.shape().length; axis++) {
                String name = t.spaceOf(axis);
                if (name == null) {
                    continue;
                }
                NeuronSpace s = byName.get(name);
                if (s == null) {
                    throw new IllegalArgumentException("tensor " + t.name() + " axis " + axis + " names unknown space " + name);
                }
                if (s.size() != t.shape()[axis]) {
                    throw new IllegalArgumentException("tensor " + t.name() + " axis " + axis + " has size "
                            + t.shape()[axis] + " but space " + name + " has size " + s.size());
                }
            }
        }
        for (Tap tap : taps) {
            if (!byName.containsKey(tap.space())) {
                throw new IllegalArgumentException("tap " + tap.name() + " names unknown space " + tap.space());
            }
        }
        checkLayers(layers, byName.keySet(), tensors);
    }

    /**
     * A declaration whose layers are read from its names: spaces {@code layer.N} and
     * {@code layer.N.*}, tensors whose dotted name holds {@code layer}, {@code N} once (HF's
     * convention; see docs/architecture.md, "Layers"). Names that do not give layers 0 .. L-1
     * give a declaration without layers.
     */
    public ModelGraph(List<NeuronSpace> spaces, List<TensorSpec> tensors, List<Tap> taps, List<Join> joins) {
        this(spaces, tensors, taps, joins, LayerNaming.derive(spaces, tensors));
    }

    private static void checkLayers(List<Layer> layers, Set<String> spaces, List<TensorSpec> tensors) {
        Set<String> tensorNames = new HashSet<>();
        tensors.forEach(t -> tensorNames.add(t.name()));
        Set<String> taken = new HashSet<>();
        for (int n = 0; n < layers.size(); n++) {
            Layer layer = layers.get(n);
            if (layer.index() != n) {
                throw new IllegalArgumentException("layer " + layer.index() + " is declared at position " + n
                        + "; layers are numbered 0 .. L-1 in order");
            }
            for (String s : layer.spaces()) {
                if (!spaces.contains(s)) {
                    throw new IllegalArgumentException("layer " + n + " names unknown space " + s);
                }
                if (!taken.add("space " + s)) {
                    throw new IllegalArgumentException("space " + s + " is in two layers");
                }
            }
            for (String t : layer.tensors()) {
                if (!tensorNames.contains(t)) {
                    throw new IllegalArgumentException("layer " + n + " names unknown tensor " + t);
                }
                if (!taken.add("tensor " + t)) {
                    throw new IllegalArgumentException("tensor " + t + " is in two layers");
                }
            }
        }
    }

    /** The layer a space belongs to, or -1 (embeddings, heads). */
    public int layerOfSpace(String space) {
        for (Layer l : layers) {
            if (l.spaces().contains(space)) {
                return l.index();
            }
        }
        return -1;
    }

    /** The layer a tensor belongs to, or -1 (embeddings, heads). */
    public int layerOfTensor(String tensor) {
        for (Layer l : layers) {
            if (l.tensors().contains(tensor)) {
                return l.index();
            }
        }
        return -1;
    }

    /**
     * The residual stream entering a layer: the skip of the first join whose sum lies in the
     * layer, or null when the layer declares no join.
     */
    public String streamEntering(int layer) {
        checkIndex(layer);
        for (Join j : joins) {
            if (layerOfSpace(j.output()) == layer) {
                return j.skip();
            }
        }
        return null;
    }

    /**
     * The residual stream leaving a layer (the one entering the next): the sum of the last join
     * that lies in the layer, or null when the layer declares no join.
     */
    public String streamLeaving(int layer) {
        checkIndex(layer);
        String out = null;
        for (Join j : joins) {
            if (layerOfSpace(j.output()) == layer) {
                out = j.output();
            }
        }
        return out;
    }

    private void checkIndex(int layer) {
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException("layer " + layer + " out of range: the model has " + layers.size());
        }
    }

    public NeuronSpace space(String name) {
        for (NeuronSpace s : spaces) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown space " + name);
    }

    public TensorSpec tensor(String name) {
        for (TensorSpec t : tensors) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown tensor " + name);
    }
}
