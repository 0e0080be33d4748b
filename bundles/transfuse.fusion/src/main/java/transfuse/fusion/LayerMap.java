package transfuse.fusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * How {@code --depth-align} matched one model's layers to the anchor's before neuron alignment.
 *
 * @param model         index of the model (1 = the first one aligned to the anchor)
 * @param anchorLayers  L_A
 * @param modelLayers   L_B, the model's own depth
 * @param updates       per anchor layer, the taps whose difference is its update ({@code "out - in"})
 * @param cost          {@code 1 - linear CKA} of the layers' updates, L_A x L_B row-major
 * @param plan          the EMD coupling of the layers (one unit of mass per layer, slack left out),
 *                      L_A x L_B row-major
 * @param transportCost {@code sum(plan * cost)}
 * @param map           per anchor layer, the model's layer that stands in for it
 * @param solver        the transport solver's name
 */
public record LayerMap(int model, int anchorLayers, int modelLayers, List<String> updates, double[] cost, double[] plan,
                       double transportCost, int[] map, String solver) {
    public LayerMap {
        updates = List.copyOf(updates);
        cost = cost.clone();
        plan = plan.clone();
        map = map.clone();
    }

    @Override
    public int[] map() {
        return map.clone();
    }

    /** Model layers no anchor layer took (their weights are not in the fusion). */
    public List<Integer> dropped() {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < modelLayers; j++) {
            out.add(j);
        }
        for (int m : map) {
            out.remove(Integer.valueOf(m));
        }
        return out;
    }

    /** Model layers that more than one anchor layer took (their weights appear several times). */
    public List<Integer> duplicated() {
        int[] uses = new int[modelLayers];
        for (int m : map) {
            uses[m]++;
        }
        TreeSet<Integer> out = new TreeSet<>();
        for (int j = 0; j < modelLayers; j++) {
            if (uses[j] > 1) {
                out.add(j);
            }
        }
        return List.copyOf(out);
    }

    public boolean monotone() {
        for (int i = 1; i < map.length; i++) {
            if (map[i] < map[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * One line for stderr, e.g. {@code runs/b (3 layers) -> the anchor's 4: anchor 0 <- 0, anchor 1 <- 0,
     * anchor 2 <- 1, anchor 3 <- 2; duplicated [0]}.
     */
    public String describe(String label) {
        StringBuilder s = new StringBuilder(label + " (" + modelLayers + " layers) -> the anchor's " + anchorLayers
                + ": ");
        for (int i = 0; i < map.length; i++) {
            s.append(i == 0 ? "" : ", ").append("anchor ").append(i).append(" <- ").append(map[i]);
        }
        s.append(duplicated().isEmpty() ? "" : "; duplicated " + duplicated());
        s.append(dropped().isEmpty() ? "" : "; dropped " + dropped());
        s.append(monotone() ? "" : "; not monotone");
        return s.toString();
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("anchor_layers", anchorLayers);
        m.put("model_layers", modelLayers);
        m.put("layer_map", ints(map));
        m.put("monotone", monotone());
        m.put("duplicated", duplicated());
        m.put("dropped", dropped());
        m.put("cost", "1 - linear CKA of the layers' residual updates (output - input)");
        m.put("updates", updates);
        m.put("layer_cost", rows(cost));
        m.put("solver", solver);
        m.put("coupling", rows(plan));
        m.put("transport_cost", transportCost);
        return m;
    }

    private List<Object> rows(double[] v) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < anchorLayers; i++) {
            List<Object> row = new ArrayList<>();
            for (int j = 0; j < modelLayers; j++) {
                row.add(v[i * modelLayers + j]);
            }
            out.add(row);
        }
        return out;
    }

    private static List<Object> ints(int[] v) {
        List<Object> out = new ArrayList<>();
        for (int x : v) {
            out.add(x);
        }
        return out;
    }
}
