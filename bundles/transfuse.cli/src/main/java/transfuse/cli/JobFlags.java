package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.job.Job;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionType;
import transfuse.api.option.OptionValues;
import transfuse.io.spec.SpecYaml;

/**
 * A job kind's declared options seen from the command line: which flags it takes, and how its
 * flags, a SPEC.yaml and a positional argument become the job's key/value spec. The local
 * command and {@code transfuse submit} share it, so both build the same spec from the same words.
 *
 * @param kind       the job kind, used in messages ({@code fuse}, {@code solve}, ...)
 * @param options    every key a spec of this kind accepts
 * @param positional the key a positional argument fills, or null
 */
record JobFlags(String kind, List<OptionDecl> options, String positional) {
    JobFlags {
        options = List.copyOf(options);
    }

    static JobFlags of(Job<?> job) {
        return new JobFlags(job.name(), job.options(), job.positional());
    }

    /** Adds every declared option to {@code spec}, with the arity its type takes on a command line. */
    OptionSpec addTo(OptionSpec spec) {
        for (OptionDecl d : options) {
            if (d.type() == OptionType.FLAG) {
                spec.flag(d.name());
            } else if (d.type().isList()) {
                spec.values(d.name());
            } else {
                spec.value(d.name());
            }
        }
        return spec;
    }

    /**
     * The spec as one map: a SPEC.yaml's keys (validated on their own first, so a bad key is named
     * with its file), then the flags over them, then the positional argument under its key.
     *
     * @param words the positional words after the command (a SPEC.yaml, the positional argument)
     * @param flags the parsed options as {@link Args#values()} gives them
     */
    Map<String, Object> raw(List<String> words, Map<String, Object> flags) {
        Map<String, Object> raw = new LinkedHashMap<>();
        String value = null;
        for (String p : words) {
            if (isSpecFile(p)) {
                if (!raw.isEmpty()) {
                    throw new UsageException("'" + kind + "' takes one SPEC file, got another: " + p);
                }
                Map<String, Object> file = SpecYaml.read(Path.of(p));
                OptionValues.of(file, options, p + ": key '%s'");
                raw.putAll(file);
            } else if (p.startsWith("-") && p.length() > 1 && !isNumber(p)) {
                throw new UsageException("unknown option " + p + " for '" + kind + "' (options start with --; see: transfuse "
                        + kind + " --help)");
            } else if (positional != null && value == null) {
                value = p;
            } else {
                throw new UsageException("unexpected argument '" + p + "' for '" + kind + "' (see: transfuse " + kind
                        + " --help)");
            }
        }
        raw.putAll(flags);
        if (value != null) {
            raw.put(positional, value);
        }
        return raw;
    }

    /** The declaration of a key, or null when the kind has none by that name. */
    OptionDecl decl(String key) {
        for (OptionDecl d : options) {
            if (d.name().equals(key)) {
                return d;
            }
        }
        return null;
    }

    private static boolean isSpecFile(String p) {
        String lower = p.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".yaml") || lower.endsWith(".yml")) && !p.startsWith("-");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
