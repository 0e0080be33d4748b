package transfuse.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.fusion.FusionOptions;
import transfuse.fusion.SpecFile;

/**
 * The fusion keys shared by {@code fuse} and {@code barrier}, from flags or a spec file (flags
 * win): the models, the output, and the engine's options.
 */
final class FusionArgs {
    final List<Path> models = new ArrayList<>();
    final Map<String, String> options = new LinkedHashMap<>();
    String out;

    static OptionSpec declare(OptionSpec spec) {
        spec.values("models");
        for (String k : FusionOptions.KEYS) {
            if (!k.equals("depth-align")) {
                spec.value(k);
            }
        }
        return spec.value("out").flag("depth-align");
    }

    static FusionArgs of(Args args, String command) {
        FusionArgs f = new FusionArgs();
        if (args.positional().size() > 1) {
            throw new UsageException("'" + command + "' takes at most one SPEC.yaml, got " + args.positional());
        }
        if (args.positional().size() == 1) {
            Path specFile = Path.of(args.positional().get(0));
            SpecFile.read(specFile).forEach((k, v) -> {
                if (k.equals("models")) {
                    v.forEach(m -> f.models.add(Path.of(m)));
                } else if (k.equals("out")) {
                    f.out = single(specFile, k, v);
                } else if (k.equals("alpha")) {
                    f.options.put(k, String.join(",", v));
                } else if (FusionOptions.KEYS.contains(k)) {
                    f.options.put(k, single(specFile, k, v));
                } else {
                    throw new UsageException(specFile + ": unknown key '" + k + "' (keys: models, out, "
                            + String.join(", ", new java.util.TreeSet<>(FusionOptions.KEYS)) + ")");
                }
            });
        }
        if (args.has("models")) {
            f.models.clear();
            args.all("models").forEach(m -> f.models.add(Path.of(m)));
        }
        for (String k : FusionOptions.KEYS) {
            if (args.has(k)) {
                f.options.put(k, args.get(k));
            }
        }
        if (args.flag("depth-align")) {
            f.options.put("depth-align", "true");
        }
        if (args.has("out")) {
            f.out = args.get("out");
        }
        if (f.models.size() < 2) {
            throw new UsageException("'" + command + "' needs --models A B [C ...] (or models: in a spec file)");
        }
        if (f.out == null) {
            throw new UsageException("'" + command + "' needs --out");
        }
        return f;
    }

    private static String single(Path file, String key, List<String> v) {
        if (v.size() != 1) {
            throw new UsageException(file + ": key '" + key + "' takes one value, got " + v.size());
        }
        return v.get(0);
    }
}
