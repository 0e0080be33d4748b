package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;

/** The spaces that residual joins connect, grouped (one group per residual stream), in graph order. */
public final class ResidualGroups {
    private final Map<String, List<String>> groupOf = new HashMap<>();
    private final Map<String, Join> joinByOutput = new HashMap<>();

    public ResidualGroups(ModelGraph graph) {
        Map<String, String> parent = new HashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            parent.put(s.name(), s.name());
        }
        for (Join j : graph.joins()) {
            union(parent, j.output(), j.skip());
            union(parent, j.output(), j.branch());
            joinByOutput.put(j.output(), j);
        }
        Map<String, List<String>> byRoot = new LinkedHashMap<>();
        for (NeuronSpace s : graph.spaces()) {
            byRoot.computeIfAbsent(find(parent, s.name()), k -> new ArrayList<>()).add(s.name());
        }
        for (List<String> g : byRoot.values()) {
            if (g.size() > 1) {
                for (String s : g) {
                    groupOf.put(s, List.copyOf(g));
                }
            }
        }
    }

    /** The group of a space joined to others, or null for a space no join touches. */
    public List<String> group(String space) {
        return groupOf.get(space);
    }

    /** The join whose sum is this space, or null. */
    public Join joinInto(String space) {
        return joinByOutput.get(space);
    }

    private static String find(Map<String, String> parent, String s) {
        while (!parent.get(s).equals(s)) {
            s = parent.get(s);
        }
        return s;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }
}
