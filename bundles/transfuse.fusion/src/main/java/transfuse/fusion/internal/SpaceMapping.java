package transfuse.fusion.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The map of one space for one model: the output-axis map T (rows = anchor's neurons), per-tensor
 * overrides (separate Q and K maps), and their input-axis forms (column-normalised), made once.
 */
public final class SpaceMapping {
    private final Dense out;
    private final Map<String, Dense> overrides;
    private final Map<Dense, Dense> inputForms = new HashMap<>();
    private final boolean identity;

    public SpaceMapping(Dense out, Map<String, Dense> overrides) {
        this.out = out;
        this.overrides = Map.copyOf(overrides);
        this.identity = overrides.isEmpty() && out.isIdentity();
    }

    public Dense out() {
        return out;
    }

    /** True when no tensor needs transporting along this space. */
    public boolean identity() {
        return identity;
    }

    /** The map for one tensor's axis: T on output axes, T column-normalised on input axes. */
    public synchronized Dense forAxis(String tensor, boolean input) {
        Dense t = overrides.getOrDefault(tensor, out);
        return input ? inputForms.computeIfAbsent(t, Dense::colNormalised) : t;
    }
}
