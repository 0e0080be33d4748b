package transfuse.fusion;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one space of one model was aligned to the anchor.
 *
 * @param model   index of the model (1 = the first one aligned to the anchor)
 * @param space   the space name
 * @param how     {@code aligned} (own evidence), {@code heads} (with its head group), {@code join}
 *                (residual policy), {@code union} (one residual map), {@code split} (separate Q/K maps)
 * @param rows    anchor's width
 * @param cols    this model's width
 * @param seconds wall time of evidence and solve for this space (not part of the reproducible output)
 * @param details what the aligner reported: solver, iterations, convergence, transport cost
 */
public record SpaceStat(int model, String space, String how, int rows, int cols, double seconds,
                        Map<String, Object> details) {
    public SpaceStat {
        // In key order: aligners' stats arrive as Map.copyOf / Map.of maps, whose iteration order
        // changes from one JVM run to the next, and config.json must be bitwise reproducible.
        details = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(details)));
    }

    /** The reproducible part (no timings), for the output's config.json. */
    public Map<String, Object> toJson(boolean withTime) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("space", space);
        m.put("how", how);
        m.put("rows", rows);
        m.put("cols", cols);
        details.forEach((k, v) -> {
            if (withTime || !k.endsWith("seconds")) {
                m.put(k, v);
            }
        });
        if (withTime) {
            m.put("seconds", seconds);
        }
        return m;
    }
}
