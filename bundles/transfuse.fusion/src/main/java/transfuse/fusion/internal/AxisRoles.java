package transfuse.fusion.internal;

import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;

/**
 * Whether a tensor axis is an input axis (it reads the space's neurons: a Linear's {@code in}
 * axis, a classifier's feature axis) or an output/parameter axis (it defines them: a Linear's
 * {@code out} axis, biases, norms, embeddings). The declaration does not say so, so the rule
 * follows the {@code [out, in]} layout of linear weights (docs/model-format.md): the last axis of
 * a tensor of rank two or more is an input axis, except for tensors that write into the first
 * space from outside every space (embedding tables, position and CLS embeddings), whose last axis
 * defines that space.
 * Only unequal widths make the difference (see docs/fusion.md).
 */
public final class AxisRoles {
    private AxisRoles() {
    }

    public static boolean isInput(ModelGraph graph, TensorSpec t, int axis) {
        int rank = t.shape().length;
        if (rank < 2 || axis != rank - 1) {
            return false;
        }
        boolean othersOutside = true;
        for (int a = 0; a < rank - 1; a++) {
            if (t.spaceOf(a) != null) {
                othersOutside = false;
            }
        }
        boolean firstSpace = !graph.spaces().isEmpty() && graph.spaces().get(0).name().equals(t.spaceOf(axis));
        return !(othersOutside && firstSpace);
    }

    /** The module a tensor belongs to: its name without the last dotted part ({@code x.weight -> x}). */
    public static String module(String tensor) {
        int dot = tensor.lastIndexOf('.');
        return dot < 0 ? tensor : tensor.substring(0, dot);
    }
}
