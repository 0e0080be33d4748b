package transfuse.api.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a model: a block of neuron spaces and tensors repeated along the depth (an encoder
 * layer). Layers are what a model's depth counts; re-indexing them (select, repeat, drop) is
 * {@link transfuse.api.arch.LayerReindexing}.
 *
 * @param index   the layer's position, 0 .. L-1
 * @param spaces  the names of the layer's neuron spaces, in declaration order
 * @param tensors the names of the layer's tensors, in declaration order (layers built by the same
 *                code list corresponding tensors at the same positions)
 */
public record Layer(int index, List<String> spaces, List<String> tensors) {
    public Layer {
        if (index < 0) {
            throw new IllegalArgumentException("layer index " + index + " is negative");
        }
        spaces = List.copyOf(spaces);
        tensors = List.copyOf(tensors);
    }

    /** The layer holding these declared spaces and tensors (e.g. the part of a declaration one loop pass added). */
    public static Layer of(int index, List<NeuronSpace> spaces, List<TensorSpec> tensors) {
        List<String> spaceNames = new ArrayList<>();
        spaces.forEach(s -> spaceNames.add(s.name()));
        List<String> tensorNames = new ArrayList<>();
        tensors.forEach(t -> tensorNames.add(t.name()));
        return new Layer(index, spaceNames, tensorNames);
    }
}
