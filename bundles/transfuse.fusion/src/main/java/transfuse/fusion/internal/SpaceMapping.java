package transfuse.fusion.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The map of one space for one model: the output-axis map T (rows = anchor's neurons), per-tensor
 * overrides (separate Q and K maps), and their input-axis forms (column-normalised), made once; all float32 ({@link TransportMap}).
 */
public final class SpaceMapping {
    private final TransportMap out;
    private final Map<String, TransportMap> overrides;
    private final Map<TransportMap, TransportMap> inputForms = new HashMap<>();
    private final boolean identity;

    public SpaceMapping(TransportMap out, Map<String, TransportMap> overrides) {
        this.out = out;
        this.overrides = Map.copyOf(overrides);
        this.identity = overrides.isEmpty() && out.isIdentity();
    }

    public TransportMap out() {
        return out;
    }

    /** True when no tensor needs transporting along this space. */
    public boolean identity() {
        return identity;
    }

    /** The map for one tensor's axis: T on output axes, T column-normalised on input axes. */
    public synchronized TransportMap forAxis(String tensor, boolean input) {
        TransportMap t = overrides.getOrDefault(tensor, out);
        return input ? inputForms.computeIfAbsent(t, TransportMap::colNormalised) : t;
    }
}
