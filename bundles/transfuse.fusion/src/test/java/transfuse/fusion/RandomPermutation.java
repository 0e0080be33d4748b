package transfuse.fusion;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import transfuse.api.arch.HeadGroup;
import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * A random function-preserving permutation drawn from a declaration alone: joined spaces share
 * one, headed spaces permute whole heads (one head order per head group) and dims inside each
 * head independently. Applied to every tensor axis in the space.
 */
final class RandomPermutation {
    private final Map<String, int[]> perms = new HashMap<>();

    RandomPermutation(ModelGraph graph, List<HeadGroup> groups, long seed) {
        Random r = new Random(seed);
        Map<String, String> root = new HashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            root.put(s.name(), s.name());
        }
        for (Join j : graph.joins()) {
            union(root, j.output(), j.skip());
            union(root, j.output(), j.branch());
        }
        Map<String, int[]> headOrder = new HashMap<>();
        for (HeadGroup g : groups) {
            int[] order = random(g.heads(), r);
            for (String s : g.spaces()) {
                headOrder.put(s, order);
            }
        }
        Map<String, int[]> byRoot = new HashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            int[] p;
            if (s.isHeaded()) {
                int[] outer = headOrder.getOrDefault(s.name(), random(s.heads(), r));
                p = new int[s.size()];
                for (int h = 0; h < s.heads(); h++) {
                    int[] inner = random(s.headDim(), r);
                    for (int j = 0; j < s.headDim(); j++) {
                        p[h * s.headDim() + j] = outer[h] * s.headDim() + inner[j];
                    }
                }
            } else {
                p = byRoot.computeIfAbsent(find(root, s.name()), k -> random(s.size(), r));
            }
            perms.put(s.name(), p);
        }
    }

    Map<String, Tensor> apply(ModelGraph graph, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>(weights);
        for (TensorSpec spec : graph.tensors()) {
            Tensor t = weights.get(spec.name());
            float[] v = t.toFloats();
            long[] shape = t.shape();
            for (int axis = 0; axis < shape.length; axis++) {
                if (spec.spaceOf(axis) != null) {
                    v = permuteAxis(v, shape, axis, perms.get(spec.spaceOf(axis)));
                }
            }
            out.put(spec.name(), Tensor.ofFloats(shape, v));
        }
        return out;
    }

    private static float[] permuteAxis(float[] in, long[] shape, int axis, int[] p) {
        int outer = 1;
        int inner = 1;
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
        String ra = find(root, a);
        String rb = find(root, b);
        if (!ra.equals(rb)) {
            root.put(ra, rb);
        }
    }
}
