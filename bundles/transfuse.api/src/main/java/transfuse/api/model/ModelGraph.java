package transfuse.api.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An architecture's declaration of a concrete model: its neuron spaces in topological order,
 * the space of every tensor axis, the taps and the joins. This is the "transport map flow
 * graph" of Imfeld et al. and the "permutation spec" of Git Re-Basin; the fusion engine works
 * from it alone and never names an architecture.
 */
public record ModelGraph(List<NeuronSpace> spaces, List<TensorSpec> tensors, List<Tap> taps, List<Join> joins) {
    public ModelGraph {
        spaces = List.copyOf(spaces);
        tensors = List.copyOf(tensors);
        taps = List.copyOf(taps);
        joins = List.copyOf(joins);
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
