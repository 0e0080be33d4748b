package transfuse.api.align;

import java.util.Locale;

/**
 * What the engine aligns a space from, chosen by the fusion option {@code align}: the
 * correlation of activations over sample data, the weights that define the space, or nothing
 * (identity maps).
 */
public enum Evidence {
    ACTS, WEIGHTS, NONE;

    /** The option value: {@code acts}, {@code weights} or {@code none}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
