package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;

/**
 * Produces the output tensors one at a time: every model's tensor transported into the anchor's
 * neuron order and averaged with the weights alpha. {@link #order()} lists the declared tensors
 * by the last space they need, so planning and writing advance together through the graph.
 */
public final class FusedTensors {
    private final ModelGraph ga;
    private final List<ModelWeights> models;
    private final List<SpacePlanner> planners;
    private final double[] alpha;
    private final Map<String, TensorSpec> specs = new HashMap<>();
    private BiConsumer<String, double[]> alignedSink;

    /** @param planners one per model after the anchor (index k-1 for model k) */
    public FusedTensors(ModelGraph anchor, List<ModelWeights> models, List<SpacePlanner> planners, double[] alpha) {
        this.ga = anchor;
        this.models = models;
        this.planners = planners;
        this.alpha = alpha;
        for (TensorSpec t : anchor.tensors()) {
            specs.put(t.name(), t);
        }
    }

    /**
     * Receives model 1's aligned tensors as {@link #fused} produces them, so a caller that also
     * needs B aligned to the anchor (the loss barrier) does not align a second time.
     */
    public void onAligned(BiConsumer<String, double[]> sink) {
        this.alignedSink = sink;
    }

    /** The declared tensors in the order that plans each space just before its first use. */
    public List<TensorSpec> order() {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < ga.spaces().size(); i++) {
            index.put(ga.spaces().get(i).name(), i);
        }
        List<TensorSpec> out = new ArrayList<>(ga.tensors());
        out.sort(Comparator.comparingInt(t -> {
            int last = -1;
            for (int a = 0; a < t.shape().length; a++) {
                if (t.spaceOf(a) != null) {
                    last = Math.max(last, index.get(t.spaceOf(a)));
                }
            }
            return last;
        }));
        return out;
    }

    /** The weighted average of every model's tensor in the anchor's order; releases maps it no longer needs. */
    public double[] fused(String name) {
        double[] acc = models.get(0).doubles(name);
        if (alpha[0] != 1) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] *= alpha[0];
            }
        }
        for (int k = 1; k < models.size(); k++) {
            // Transported even with a weight of 0: that must not skip the NaN check or leave maps unreleased.
            double[] x = aligned(k, name);
            if (k == 1 && alignedSink != null) {
                alignedSink.accept(name, x);
            }
            if (alpha[k] == 0) {
                continue;
            }
            for (int i = 0; i < acc.length; i++) {
                acc[i] += alpha[k] * x[i];
            }
        }
        done(name);
        return acc;
    }

    /** Model k's tensor transported into the anchor's neuron order and shape. */
    public double[] aligned(int k, String name) {
        TensorSpec spec = specs.get(name);
        SpacePlanner planner = planners.get(k - 1);
        for (int a = 0; a < spec.shape().length; a++) {
            if (spec.spaceOf(a) != null) {
                // Plan first: planning from weights leaves this tensor with its input axes already
                // transported; taking it before would redo those products and leak the partial.
                planner.mapping(spec.spaceOf(a));
            }
        }
        SpacePlanner.Partial p = planner.takePartial(name);
        double[] x;
        long[] shape;
        boolean[] done;
        if (p != null) {
            x = p.values();
            shape = p.shape();
            done = p.done();
        } else {
            x = models.get(k).doubles(name);
            shape = models.get(k).tensor(name).shape();
            done = new boolean[shape.length];
        }
        for (int a = 0; a < shape.length; a++) {
            String space = spec.spaceOf(a);
            if (space == null || done[a]) {
                continue;
            }
            SpaceMapping m = planner.mapping(space);
            if (!m.identity()) {
                x = AxisTransport.apply(x, shape, a, m.forAxis(name, AxisRoles.isInput(ga, spec, a)));
            }
        }
        if (!Arrays.equals(shape, spec.shape())) {
            throw new IllegalStateException("tensor " + name + " came out " + Arrays.toString(shape) + ", expected "
                    + Arrays.toString(spec.shape()));
        }
        return x;
    }

    /** Every model's maps for this tensor's spaces have one use less. */
    public void done(String name) {
        TensorSpec spec = specs.get(name);
        for (SpacePlanner planner : planners) {
            for (int a = 0; a < spec.shape().length; a++) {
                if (spec.spaceOf(a) != null) {
                    planner.release(spec.spaceOf(a));
                }
            }
        }
    }
}
