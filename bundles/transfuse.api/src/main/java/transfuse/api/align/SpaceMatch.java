package transfuse.api.align;

import java.util.Map;

import transfuse.api.model.NeuronSpace;
import transfuse.api.tensor.Tensor;

/**
 * The evidence for aligning one neuron space of model B to model A: one feature row per
 * neuron (activations over samples, or incoming weights with B's inputs already transported).
 *
 * @param spaceA    the anchor's space (the target shape)
 * @param spaceB    the space of the model being aligned
 * @param featuresA [spaceA.size, features]
 * @param featuresB [spaceB.size, features]
 * @param options   method options as given by the user (e.g. {@code solver=emd})
 */
public record SpaceMatch(NeuronSpace spaceA, NeuronSpace spaceB, Tensor featuresA, Tensor featuresB,
                         Map<String, String> options) {
    public SpaceMatch {
        options = Map.copyOf(options);
    }
}
