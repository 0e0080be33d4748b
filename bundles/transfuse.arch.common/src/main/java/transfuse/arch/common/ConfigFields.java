package transfuse.arch.common;

import java.util.Map;
import java.util.OptionalInt;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;

/** Checked reads of HF config fields every architecture validates the same way. */
public final class ConfigFields {
    private ConfigFields() {
    }

    /** An integer field that must be positive; one-line error naming the file and the field. */
    public static int positive(ModelConfig c, String key) {
        int v = c.getInt(key);
        if (v <= 0) {
            throw new TransfuseException(c.source() + ": field '" + key + "' must be positive, found " + v);
        }
        return v;
    }

    /**
     * The number of classes: the size of {@code id2label} (whose keys must be "0".."n-1"), else
     * {@code num_labels}, else empty (each architecture has its own fallback).
     */
    public static OptionalInt labelCount(ModelConfig c) {
        Object id2label = c.fields().get("id2label");
        if (id2label instanceof Map<?, ?> m && !m.isEmpty()) {
            for (int i = 0; i < m.size(); i++) {
                if (!m.containsKey(Integer.toString(i))) {
                    throw new TransfuseException(c.source() + ": id2label must have keys \"0\".." + (m.size() - 1)
                            + ", missing \"" + i + "\"");
                }
            }
            return OptionalInt.of(m.size());
        }
        return c.has("num_labels") ? OptionalInt.of(positive(c, "num_labels")) : OptionalInt.empty();
    }
}
