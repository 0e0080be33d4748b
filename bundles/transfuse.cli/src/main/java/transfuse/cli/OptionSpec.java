package transfuse.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options a command accepts. Anything else on its command line is a usage error, so a
 * mistyped flag is reported instead of silently ignored.
 */
final class OptionSpec {
    enum Arity { FLAG, ONE, MANY }

    private final Map<String, Arity> options = new LinkedHashMap<>();

    OptionSpec() {
        flag("json");
        flag("help");
    }

    OptionSpec flag(String name) {
        options.put(name, Arity.FLAG);
        return this;
    }

    OptionSpec value(String... names) {
        for (String n : names) {
            options.put(n, Arity.ONE);
        }
        return this;
    }

    /** An option taking every following token up to the next {@code --option}. */
    OptionSpec values(String name) {
        options.put(name, Arity.MANY);
        return this;
    }

    Arity arity(String name) {
        return options.get(name);
    }
}
