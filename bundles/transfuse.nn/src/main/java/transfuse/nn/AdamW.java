package transfuse.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import transfuse.api.tensor.Tensor;

/**
 * AdamW (beta1 0.9, beta2 0.999, eps 1e-8) with decoupled weight decay on weight matrices only
 * (names ending in {@code .weight} of rank 2 or more; biases, norms and embeddings are not
 * decayed), and clipping of the global gradient L2 norm. Each parameter is updated by libtorch's
 * fused in-place Adam kernel through DJL, one native call per distinct tensor (a shared array
 * is updated once, from the gradient summed over its uses).
 */
public final class AdamW {
    public static final float BETA1 = 0.9f;
    public static final float BETA2 = 0.999f;
    public static final float EPS = 1e-8f;

    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();
    private final float weightDecay;
    private final double clipNorm;
    private long step;

    /** Zero state for every parameter, on the parameters' manager. */
    public AdamW(Params params, double weightDecay, double clipNorm) {
        this.weightDecay = (float) weightDecay;
        this.clipNorm = clipNorm;
        params.distinct().forEach((name, w) -> {
            NDManager m = w.getManager();
            mean.put(name, m.zeros(w.getShape()));
            variance.put(name, m.zeros(w.getShape()));
        });
    }

    /** Steps taken so far (restored with the state). */
    public long steps() {
        return step;
    }

    /**
     * Applies one update from the parameters' current gradients, then zeroes them. Call outside
     * the gradient collector: the update writes the leaf tensors in place.
     *
     * @return the global gradient norm before clipping
     */
    public double update(Params params, double lr) {
        step++;
        float bias1 = 1 - (float) Math.pow(BETA1, step);
        float bias2 = 1 - (float) Math.pow(BETA2, step);
        float lrCorrected = (float) (lr * Math.sqrt(bias2) / bias1);
        try (NDScope scope = new NDScope()) {
            List<NDArray> grads = new ArrayList<>(mean.size());
            for (NDArray w : params.distinct().values()) {
                grads.add(w.getGradient());
            }
            double norm = globalNorm(grads);
            float rescale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / (norm + 1e-6)) : 1f;
            int i = 0;
            for (Map.Entry<String, NDArray> e : params.distinct().entrySet()) {
                NDArray w = e.getValue();
                float wd = decays(e.getKey(), w) ? weightDecay : 0f;
                // clipGrad -1: no element-wise clamp; the global-norm clip is the rescale factor.
                w.getNDArrayInternal().adamUpdate(
                        new NDList(w, grads.get(i++), mean.get(e.getKey()), variance.get(e.getKey())),
                        new NDList(w), (float) lr, lrCorrected, wd, rescale, -1f, BETA1, BETA2, EPS, false, true);
            }
            return norm;
        }
    }

    static boolean decays(String name, NDArray w) {
        return name.endsWith(".weight") && w.getShape().dimension() >= 2;
    }

    private static double globalNorm(List<NDArray> grads) {
        NDList squares = new NDList(grads.size());
        for (NDArray g : grads) {
            squares.add(g.square().sum());
        }
        return Math.sqrt(NDArrays.stack(squares).sum().getFloat());
    }

    /** The moments as tensors named {@code adam.m.NAME} / {@code adam.v.NAME}, for checkpoints. */
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        mean.forEach((n, a) -> out.put("adam.m." + n, NdTensors.toTensor(a)));
        variance.forEach((n, a) -> out.put("adam.v." + n, NdTensors.toTensor(a)));
        return out;
    }

    /** Restores moments and step count written by {@link #state()}. */
    public void restore(Map<String, Tensor> state, long steps) {
        restoreInto(mean, "adam.m.", state);
        restoreInto(variance, "adam.v.", state);
        this.step = steps;
    }

    private static void restoreInto(Map<String, NDArray> target, String prefix, Map<String, Tensor> state) {
        target.forEach((name, a) -> {
            Tensor t = state.get(prefix + name);
            if (t == null) {
                throw new transfuse.api.TransfuseException("checkpoint optimizer state lacks " + prefix + name);
            }
            a.set(t.toFloats());
        });
    }
}
