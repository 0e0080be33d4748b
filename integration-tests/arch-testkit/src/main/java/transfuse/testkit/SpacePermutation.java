package transfuse.testkit;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import transfuse.api.arch.HeadFactor;
import transfuse.api.arch.HeadGroup;
import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * Architecture-neutral test helper: draws a random permutation per neuron space from a model's
 * declaration alone (spaces linked by a join share one; a headed space permutes heads as wholes,
 * with one head order per head group, and dims inside each head independently, or, where the
 * group declares {@link HeadFactor}s, each named factor by one order per head shared by the
 * members naming it while fixed factors stay) and applies it to every tensor axis the
 * declaration places in that space.
 */
public final class SpacePermutation {
    private final Map<String, int[]> perms = new HashMap<>();

    public SpacePermutation(ModelGraph graph, List<HeadGroup> groups, Random r) {
        Map<String, String> root = new HashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            root.put(s.name(), s.name());
        }
        for (Join j : graph.joins()) {
            union(root, j.output(), j.skip());
            union(root, j.output(), j.branch());
        }
        Map<String, int[]> headOrder = new HashMap<>();
        Map<String, HeadGroup> groupOf = new HashMap<>();
        for (HeadGroup g : groups) {
            int[] order = random(g.heads(), r);
            for (String s : g.spaces()) {
                headOrder.put(s, order);
                groupOf.put(s, g);
            }
        }
        Map<String, int[]> factorOrders = new HashMap<>();
        Map<String, int[]> byRoot = new HashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            String rt = find(root, s.name());
            int[] p;
            // A one-head member of a head group (one KV head) still keeps its factors.
            if (s.isHeaded() || groupOf.containsKey(s.name())) {
                int[] outer = headOrder.getOrDefault(s.name(), random(s.heads(), r));
                p = new int[s.size()];
                HeadGroup g = groupOf.get(s.name());
                for (int h = 0; h < s.heads(); h++) {
                    int[] inner = g == null ? random(s.headDim(), r)
                            : inner(g, g.factorsOf(s.name(), s.headDim()), h, factorOrders, r);
                    for (int j = 0; j < s.headDim(); j++) {
                        p[h * s.headDim() + j] = outer[h] * s.headDim() + inner[j];
                    }
                }
                if (!rt.equals(s.name()) || byRoot.containsKey(rt)) {
                    throw new IllegalStateException("headed space " + s.name() + " is joined to another space");
                }
            } else {
                p = byRoot.computeIfAbsent(rt, k -> random(s.size(), r));
            }
            perms.put(s.name(), p);
        }
    }

    /**
     * The order inside head h of a member with these factors: each named factor takes the order
     * drawn for (group, head, name), shared with the group's other members; fixed factors stay.
     */
    private static int[] inner(HeadGroup g, List<HeadFactor> factors, int h, Map<String, int[]> drawn, Random r) {
        int size = 1;
        for (HeadFactor f : factors) {
            size *= f.size();
        }
        int[] out = new int[size];
        for (int j = 0; j < size; j++) {
            int rest = j;
            int src = 0;
            int stride = size;
            for (HeadFactor f : factors) {
                stride /= f.size();
                int i = rest / stride;
                rest %= stride;
                int moved = f.isFixed() ? i
                        : drawn.computeIfAbsent(g.name() + "/" + h + "/" + f.symmetry(), k -> random(f.size(), r))[i];
                src += moved * stride;
            }
            out[j] = src;
        }
        return out;
    }

    public int[] of(String space) {
        return perms.get(space);
    }

    public Map<String, Tensor> apply(ModelGraph graph, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>(weights);
        for (TensorSpec spec : graph.tensors()) {
            Tensor t = weights.get(spec.name());
            float[] v = t.toFloats();
            long[] shape = t.shape();
            for (int axis = 0; axis < shape.length; axis++) {
                String space = spec.spaceOf(axis);
                if (space != null) {
                    v = permuteAxis(v, shape, axis, perms.get(space));
                }
            }
            out.put(spec.name(), Tensor.ofFloats(shape, v));
        }
        return out;
    }

    /** out[..., i, ...] = in[..., p[i], ...] along one axis of a C-order array. */
    public static float[] permuteAxis(float[] in, long[] shape, int axis, int[] p) {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= (int) shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= (int) shape[i];
        }
        int n = (int) shape[axis];
        float[] out = new float[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(in, (o * n + p[i]) * inner, out, (o * n + i) * inner, inner);
            }
        }
        return out;
    }

    private static int[] random(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static String find(Map<String, String> root, String s) {
        while (!root.get(s).equals(s)) {
            s = root.get(s);
        }
        return s;
    }

    private static void union(Map<String, String> root, String a, String b) {
        root.put(find(root, a), find(root, b));
    }
}
