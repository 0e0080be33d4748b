package transfuse.api.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;

/**
 * A model's HuggingFace {@code config.json}, as a JSON object tree (maps, lists, strings,
 * numbers, booleans). Field names are HF's: {@code model_type}, {@code hidden_size}, ...
 * Unknown fields are kept so that a config read and written again is unchanged.
 */
public final class ModelConfig {
    private final Map<String, Object> fields;
    private final String source;

    /**
     * @param fields the parsed JSON object
     * @param source where it came from, used in error messages (a path, or "spec")
     */
    public ModelConfig(Map<String, Object> fields, String source) {
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.source = source;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public String source() {
        return source;
    }

    public String modelType() {
        return getString("model_type");
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public String getString(String key) {
        Object v = require(key);
        if (!(v instanceof String s)) {
            throw new TransfuseException(source + ": field '" + key + "' must be a string, found " + v);
        }
        return s;
    }

    public int getInt(String key) {
        Object v = require(key);
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            if (n.doubleValue() > Integer.MAX_VALUE || n.doubleValue() < Integer.MIN_VALUE) {
                throw new TransfuseException(source + ": field '" + key + "' is out of range, found " + v);
            }
            return n.intValue();
        }
        throw new TransfuseException(source + ": field '" + key + "' must be an integer, found " + v);
    }

    public int getInt(String key, int fallback) {
        return has(key) ? getInt(key) : fallback;
    }

    public double getDouble(String key) {
        Object v = require(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new TransfuseException(source + ": field '" + key + "' must be a number, found " + v);
    }

    public double getDouble(String key, double fallback) {
        return has(key) ? getDouble(key) : fallback;
    }

    /** A copy with one field set (or replaced). */
    public ModelConfig with(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(key, value);
        return new ModelConfig(copy, source);
    }

    private Object require(String key) {
        Object v = fields.get(key);
        if (v == null) {
            throw new TransfuseException(source + ": missing field '" + key + "'");
        }
        return v;
    }

    @Override
    public String toString() {
        return "ModelConfig" + fields;
    }

    /** Configs are equal when their fields are (in order); where they were read from does not matter. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && new java.util.ArrayList<>(c.fields.entrySet()).equals(
                new java.util.ArrayList<>(fields.entrySet()));
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }
}
