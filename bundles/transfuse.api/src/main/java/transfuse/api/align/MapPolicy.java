package transfuse.api.align;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the engine turns an aligner's maps into the maps of spaces that several modules share.
 * An aligner chooses it from its own options ({@link Aligner#configure}); the engine applies it
 * without knowing which aligner chose it.
 *
 * @param qk       a space with one tap per producing module (attention Q and K)
 * @param residual at a residual add, the sum's map from the skip's and the branch's maps; used
 *                 only when {@code stream} is null
 * @param stream   one map for a whole residual stream and where it comes from, or null to
 *                 combine maps at each add by {@code residual}
 */
public record MapPolicy(Qk qk, Residual residual, ResidualStream stream) {
    /** Q and K aligned together, residual adds mapped by the mean of their two maps. */
    public static final MapPolicy DEFAULT = new MapPolicy(Qk.JOINT, Residual.MEAN, null);

    public MapPolicy {
        if (qk == null || residual == null) {
            throw new IllegalArgumentException("a map policy needs qk and residual");
        }
    }

    /** Whether a permuted copy of a model is fused back into the model (false when residual spaces are aligned apart). */
    public boolean functionPreserving() {
        return stream != ResidualStream.SEPARATE;
    }

    /** Q/K: one map per producing module, the first module's map for all, or one map from all taps. */
    public enum Qk { SEPARATE, SHARED, JOINT }

    /** At a residual add: mean, magnitude-weighted (one scalar or per neuron), identity, or the skip's map. */
    public enum Residual { MEAN, WEIGHTED_SCALAR, WEIGHTED_MATRIX, IDENTITY, SKIP_ONLY }

    /** One map per residual stream from its first tap, last tap, all taps or the identity; or each space apart. */
    public enum ResidualStream { FIRST, LAST, ALL, IDENTITY, SEPARATE }

    /** How a policy value is written as an option value: {@code weighted-scalar}, {@code skip-only}. */
    public static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Every value's {@link #label}, in declaration order (an option's choices). */
    public static <E extends Enum<E>> List<String> labels(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            out.add(label(e));
        }
        return out;
    }

    /** The value with this {@link #label}. */
    public static <E extends Enum<E>> E fromLabel(Class<E> type, String label) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(label)) {
                return e;
            }
        }
        throw new IllegalArgumentException(type.getSimpleName() + " has no value '" + label + "'");
    }
}
