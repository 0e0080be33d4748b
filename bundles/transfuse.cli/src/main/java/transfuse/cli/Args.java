package transfuse.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A command's parsed arguments: positionals, {@code --name value} options and flags. */
final class Args {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final Map<String, OptionSpec.Arity> arity = new LinkedHashMap<>();
    private final String command;

    private Args(String command) {
        this.command = command;
    }

    static Args parse(String command, List<String> tokens, OptionSpec spec) {
        Args a = new Args(command);
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if (!t.startsWith("--") || t.length() == 2) {
                a.positional.add(t);
                continue;
            }
            String name = t.substring(2);
            String inline = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                inline = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            OptionSpec.Arity arity = spec.arity(name);
            a.arity.put(name, arity);
            if (arity == null) {
                throw new UsageException("unknown option --" + name + " for '" + command + "' (see: transfuse " + command + " --help)");
            }
            switch (arity) {
                case FLAG -> {
                    if (inline != null) {
                        throw new UsageException("option --" + name + " takes no value");
                    }
                    a.flags.add(name);
                }
                case ONE -> {
                    String v = inline;
                    if (v == null) {
                        if (i + 1 >= tokens.size() || tokens.get(i + 1).startsWith("--")) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        v = tokens.get(++i);
                    }
                    if (a.values.put(name, List.of(v)) != null) {
                        throw new UsageException("option --" + name + " given twice");
                    }
                }
                case MANY -> {
                    List<String> vs = a.values.computeIfAbsent(name, k -> new ArrayList<>());
                    if (inline != null) {
                        vs.add(inline);
                    }
                    while (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                        vs.add(tokens.get(++i));
                    }
                    if (vs.isEmpty()) {
                        throw new UsageException("option --" + name + " needs at least one value");
                    }
                }
            }
        }
        return a;
    }

    /**
     * The options as a spec's key/value map: a flag as {@code true}, a single value as a string, a
     * list option as a list of strings; in command-line order.
     */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : values.entrySet()) {
            m.put(e.getKey(), arity.get(e.getKey()) == OptionSpec.Arity.MANY ? List.copyOf(e.getValue()) : e.getValue().get(0));
        }
        for (String f : flags) {
            if (!f.equals("json") && !f.equals("help")) {
                m.put(f, Boolean.TRUE);
            }
        }
        return m;
    }

    List<String> positional() {
        return positional;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.get(0);
    }

    String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new UsageException("'" + command + "' needs --" + name);
        }
        return v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    int getInt(String name, int fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not an integer");
        }
    }

    double getDouble(String name, double fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + ": '" + v + "' is not a number");
        }
    }
}
