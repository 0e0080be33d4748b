package transfuse.fusion;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;

/**
 * Whether a model can be fused into the anchor: same architecture, same spaces (so the same
 * depth), same tensors, and equal sizes on every axis outside the neuron spaces (classes,
 * vocabulary, patch pixels); widths of spaces may differ.
 */
final class GraphCheck {
    private GraphCheck() {
    }

    static void sameArchitecture(List<ModelConfig> configs, List<String> labels) {
        String type = modelType(configs.get(0), labels.get(0));
        for (int k = 1; k < configs.size(); k++) {
            String other = modelType(configs.get(k), labels.get(k));
            if (!other.equals(type)) {
                throw new TransfuseException("models have different architectures: " + labels.get(0) + " is " + type
                        + ", " + labels.get(k) + " is " + other);
            }
        }
    }

    private static String modelType(ModelConfig c, String label) {
        if (!c.has("model_type")) {
            throw new TransfuseException(label + "/config.json: missing field 'model_type'");
        }
        return c.getString("model_type");
    }

    /** With {@code --depth-align}, {@code b} is already the model re-indexed to the anchor's depth. */
    static void compatible(ModelGraph a, ModelConfig ca, String la, ModelGraph b, ModelConfig cb, String lb) {
        String key = "num_hidden_layers";
        if (ca.has(key) && cb.has(key) && ca.getInt(key) != cb.getInt(key)) {
            throw new TransfuseException("depth mismatch: " + la + " has " + ca.getInt(key) + " layers, " + lb + " has "
                    + cb.getInt(key) + "; fusing models of different depth needs layer alignment (--depth-align)");
        }
        List<String> sa = names(a);
        List<String> sb = names(b);
        if (!sa.equals(sb)) {
            List<String> missing = new ArrayList<>(sa);
            missing.removeAll(sb);
            List<String> extra = new ArrayList<>(sb);
            extra.removeAll(sa);
            throw new TransfuseException(lb + ": neuron spaces differ from the anchor's (" + (missing.isEmpty()
                    ? "extra " + extra.get(0) : "missing " + missing.get(0)) + "): the models' structures do not match");
        }
        for (int i = 0; i < a.spaces().size(); i++) {
            NeuronSpace x = a.spaces().get(i);
            NeuronSpace y = b.spaces().get(i);
            if (x.isHeaded() != y.isHeaded()) {
                throw new TransfuseException(lb + ": space " + x.name() + " has " + y.heads() + " heads, the anchor "
                        + x.heads());
            }
        }
        List<String> tapsA = a.taps().stream().map(Tap::name).toList();
        List<String> tapsB = b.taps().stream().map(Tap::name).toList();
        if (!tapsA.equals(tapsB)) {
            throw new TransfuseException(lb + ": activation taps differ from the anchor's");
        }
        for (TensorSpec t : a.tensors()) {
            TensorSpec u = find(b, t.name());
            if (u == null) {
                throw new TransfuseException(lb + ": tensor " + t.name() + " of the anchor is not declared for this model");
            }
            long[] x = t.shape();
            long[] y = u.shape();
            if (x.length != y.length) {
                throw new TransfuseException(lb + ": tensor " + t.name() + " has rank " + y.length + ", the anchor's "
                        + x.length);
            }
            for (int ax = 0; ax < x.length; ax++) {
                if (!t.axisSpaces().get(ax).equals(u.axisSpaces().get(ax))) {
                    throw new TransfuseException(lb + ": tensor " + t.name() + " axis " + ax + " lies in another space");
                }
                if (t.spaceOf(ax) == null && x[ax] != y[ax]) {
                    throw new TransfuseException(lb + ": tensor " + t.name() + " axis " + ax + " has size " + y[ax]
                            + " but the anchor's has " + x[ax] + " (axes outside neuron spaces, e.g. classes or"
                            + " vocabulary, must match)");
                }
            }
        }
    }

    private static List<String> names(ModelGraph g) {
        return g.spaces().stream().map(NeuronSpace::name).toList();
    }

    private static TensorSpec find(ModelGraph g, String name) {
        for (TensorSpec t : g.tensors()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
