package transfuse.api.option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import transfuse.api.TransfuseException;

/**
 * The validated values of one request against its declared options. Built from one key/value map,
 * whatever it came from: command-line flags (strings, lists of strings, {@code true} for a flag), a
 * YAML spec or a JSON body (strings, numbers, booleans, lists). Construction rejects unknown keys
 * and values of the wrong type or out of range, each with a one-line {@link TransfuseException}
 * naming the key, so a job fails before it does any work.
 */
public final class OptionValues {
    private final Map<String, OptionDecl> decls = new LinkedHashMap<>();
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final String keyFormat;

    private OptionValues(List<OptionDecl> declared, String keyFormat) {
        for (OptionDecl d : declared) {
            decls.put(d.name(), d);
        }
        this.keyFormat = keyFormat;
    }

    /**
     * @param raw       the given values by key
     * @param declared  every option the receiver accepts
     * @param keyFormat how messages name a key, e.g. {@code "option --%s"} on the command line or
     *                  {@code "spec key '%s'"} for a spec
     * @throws TransfuseException for an unknown key or a malformed value, naming the key
     */
    public static OptionValues of(Map<String, ?> raw, List<OptionDecl> declared, String keyFormat) {
        OptionValues v = new OptionValues(declared, keyFormat);
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            OptionDecl d = v.decls.get(e.getKey());
            if (d == null) {
                throw new TransfuseException(v.key(e.getKey()) + ": unknown (known: "
                        + String.join(", ", new TreeSet<>(v.decls.keySet())) + ")");
            }
            if (e.getValue() != null) {
                v.values.put(d.name(), v.convert(d, e.getValue()));
            }
        }
        return v;
    }

    /** Whether the key was given (a flag given as false counts as not given). */
    public boolean has(String key) {
        decl(key);
        Object v = values.get(key);
        return v != null && !Boolean.FALSE.equals(v);
    }

    /** The keys given, in the order given. */
    public List<String> given() {
        List<String> keys = new ArrayList<>();
        for (String k : values.keySet()) {
            if (has(k)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /** The values given (a flag given as false left out), converted to their types, in the order given. */
    public Map<String, Object> givenValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : given()) {
            m.put(k, values.get(k));
        }
        return m;
    }

    /** The given values with the defaults of the rest, in declaration order (for metadata and results). */
    public Map<String, Object> withDefaults() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (OptionDecl d : decls.values()) {
            Object v = values.containsKey(d.name()) ? values.get(d.name()) : d.defaultValue();
            if (v != null) {
                m.put(d.name(), v);
            }
        }
        return m;
    }

    public boolean flag(String key) {
        return Boolean.TRUE.equals(value(key, OptionType.FLAG));
    }

    /** A text, choice, data, input or output value, or its default (null when it has none). */
    public String text(String key) {
        Object v = value(key, null);
        return v == null ? null : (String) v;
    }

    /** @throws TransfuseException naming the key when it has no value and no default */
    public String require(String key) {
        String v = text(key);
        if (v == null) {
            throw new TransfuseException(key(key) + ": required");
        }
        return v;
    }

    /** @throws TransfuseException naming the key when it has no value and no default */
    public long integer(String key) {
        Object v = value(key, OptionType.INTEGER);
        if (v == null) {
            throw new TransfuseException(key(key) + ": required");
        }
        return (Long) v;
    }

    /** The value as an int: declarations of int-sized options bound it to int's range. */
    public int intValue(String key) {
        return Math.toIntExact(integer(key));
    }

    /** @throws TransfuseException naming the key when it has no value and no default */
    public double number(String key) {
        Object v = value(key, OptionType.NUMBER);
        if (v == null) {
            throw new TransfuseException(key(key) + ": required");
        }
        return (Double) v;
    }

    /** A list value (empty when absent). */
    @SuppressWarnings("unchecked")
    public List<String> list(String key) {
        Object v = value(key, null);
        return v == null ? List.of() : (List<String>) v;
    }

    /** How messages name the key (the format given at construction). */
    public String key(String key) {
        return String.format(keyFormat, key);
    }

    private Object value(String key, OptionType expected) {
        OptionDecl d = decl(key);
        if (expected != null && d.type() != expected) {
            throw new IllegalArgumentException("option " + key + " is " + d.type() + ", read as " + expected);
        }
        return values.containsKey(key) ? values.get(key) : d.defaultValue();
    }

    private OptionDecl decl(String key) {
        OptionDecl d = decls.get(key);
        if (d == null) {
            throw new IllegalArgumentException("undeclared option " + key);
        }
        return d;
    }

    private Object convert(OptionDecl d, Object raw) {
        String k = key(d.name());
        return switch (d.type()) {
            case FLAG -> {
                if (raw instanceof Boolean b) {
                    yield b;
                }
                if (raw instanceof String s && (s.equals("true") || s.equals("false"))) {
                    yield Boolean.parseBoolean(s);
                }
                throw new TransfuseException(k + ": '" + raw + "' is not true or false");
            }
            case INTEGER -> {
                long n = wholeNumber(k, raw);
                if (n < d.min() || n > d.max()) {
                    throw new TransfuseException(k + ": must be " + range(d, true) + ", got " + n);
                }
                yield n;
            }
            case NUMBER -> {
                double x = number(k, raw);
                if (!Double.isFinite(x) || x < d.min() || x > d.max()) {
                    throw new TransfuseException(k + ": must be a finite number " + range(d, false) + ", got " + raw);
                }
                yield x;
            }
            case CHOICE -> {
                String s = scalar(k, raw);
                if (!d.choices().contains(s)) {
                    throw new TransfuseException(k + ": unknown value '" + s + "' (allowed: "
                            + String.join(", ", d.choices()) + ")");
                }
                yield s;
            }
            case LIST, INPUTS -> {
                List<String> items = new ArrayList<>();
                if (raw instanceof List<?> l) {
                    for (Object o : l) {
                        items.add(scalar(k, o));
                    }
                } else {
                    items.add(scalar(k, raw));
                }
                if (items.isEmpty()) {
                    throw new TransfuseException(k + ": needs at least one value");
                }
                yield List.copyOf(items);
            }
            case TEXT, INPUT, DATA, OUTPUT -> {
                String s = scalar(k, raw);
                if (s.isBlank()) {
                    throw new TransfuseException(k + ": must not be empty");
                }
                yield s;
            }
        };
    }

    private static String scalar(String k, Object raw) {
        if (raw instanceof String s) {
            return s;
        }
        if (raw instanceof Number || raw instanceof Boolean) {
            return String.valueOf(raw);
        }
        throw new TransfuseException(k + ": expected a single value, got " + describe(raw));
    }

    private static long wholeNumber(String k, Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        String s = scalar(k, raw).trim();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new TransfuseException(k + ": '" + s + "' is not a whole number");
        }
    }

    private static double number(String k, Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        String s = scalar(k, raw).trim();
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new TransfuseException(k + ": '" + s + "' is not a number");
        }
    }

    private static String range(OptionDecl d, boolean whole) {
        boolean noMax = whole ? d.max() >= Long.MAX_VALUE : d.max() == Double.MAX_VALUE;
        if (!whole && d.min() == Double.MIN_VALUE) {
            return noMax ? "above 0" : "above 0 and at most " + d.max();
        }
        String lo = whole ? Long.toString((long) d.min()) : Double.toString(d.min());
        String hi = whole ? Long.toString((long) d.max()) : Double.toString(d.max());
        return noMax ? "at least " + lo : "between " + lo + " and " + hi;
    }

    private static String describe(Object raw) {
        return raw instanceof List ? "a list" : raw instanceof Map ? "an object" : String.valueOf(raw);
    }
}
