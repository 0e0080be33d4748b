package transfuse.api.align;

import java.util.Map;

import transfuse.api.model.NeuronSpace;
import transfuse.api.tensor.Tensor;

/**
 * The evidence for aligning one neuron space of model B to model A, in one of two forms:
 * <ul>
 * <li>features: one row per neuron (incoming weights with B's inputs already transported);</li>
 * <li>correlation: the Pearson correlation of the two models' standardised activations over the
 *     same samples, {@code [spaceA.size, spaceB.size]}, accumulated batch by batch so that no
 *     activations are held (the Euclidean distance between standardised activation vectors is
 *     {@code sqrt(2 n (1 - rho))}, so distance-based aligners need nothing else).</li>
 * </ul>
 * Exactly one of {@code featuresA/featuresB} and {@code correlation} is given.
 *
 * @param spaceA      the anchor's space (the target shape)
 * @param spaceB      the space of the model being aligned
 * @param featuresA   [spaceA.size, features], or null
 * @param featuresB   [spaceB.size, features], or null
 * @param correlation [spaceA.size, spaceB.size], or null
 * @param options     the fusion's options as recorded, defaults resolved: the engine's keys and
 *                    the aligner's own values (e.g. {@code solver=emd}), as strings
 */
public record SpaceMatch(NeuronSpace spaceA, NeuronSpace spaceB, Tensor featuresA, Tensor featuresB,
                         Tensor correlation, Map<String, String> options) {
    public SpaceMatch {
        options = Map.copyOf(options);
        if ((featuresA == null) != (featuresB == null) || (featuresA == null) == (correlation == null)) {
            throw new IllegalArgumentException("space " + spaceA.name()
                    + ": give either both feature matrices or a correlation matrix");
        }
    }

    /** Feature-based evidence (the original form of this record). */
    public SpaceMatch(NeuronSpace spaceA, NeuronSpace spaceB, Tensor featuresA, Tensor featuresB,
                      Map<String, String> options) {
        this(spaceA, spaceB, featuresA, featuresB, null, options);
    }

    /** Activation-based evidence: the correlation of standardised activations. */
    public static SpaceMatch ofCorrelation(NeuronSpace spaceA, NeuronSpace spaceB, Tensor correlation,
                                           Map<String, String> options) {
        return new SpaceMatch(spaceA, spaceB, null, null, correlation, options);
    }

    public boolean hasCorrelation() {
        return correlation != null;
    }
}
