package transfuse.fusion.internal;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

/**
 * One model's tensors, read one at a time (memory-mapped, so reading pages in only what is
 * used), converted to doubles and checked for NaN and infinity.
 */
public final class ModelWeights {
    private final String label;
    private final Map<String, Tensor> tensors;

    /** @param label names the model in messages, e.g. its directory */
    public ModelWeights(String label, Map<String, Tensor> tensors) {
        this.label = label;
        this.tensors = tensors;
    }

    public String label() {
        return label;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new TransfuseException(label + ": missing tensor " + name);
        }
        return t;
    }

    /** The values as doubles; throws naming the model and tensor when one is not finite. */
    public double[] doubles(String name) {
        double[] v = tensor(name).toDoubles();
        checkFinite(name, v);
        return v;
    }

    public void checkFinite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new TransfuseException(label + ": tensor " + name + " holds " + v[i] + " at index " + i
                        + " (weights must be finite)");
            }
        }
    }

    /** Reads every floating tensor once to refuse NaN or infinite weights before any work. */
    public void checkAllFinite() {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue().dtype().isFloating()) {
                checkFinite(e.getKey(), e.getValue().toDoubles());
            }
        }
    }
}
