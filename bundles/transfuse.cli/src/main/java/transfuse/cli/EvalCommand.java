package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.core.PluginHandle;
import transfuse.io.config.ModelDir;

/** {@code transfuse eval --model DIR --data NAME [--split test|train]}: accuracy and loss. */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a model directory on a data set (test split unless --split says otherwise)";
    }

    @Override
    public String usage() {
        return """
                transfuse eval --model DIR --data NAME[:N] [--split test|train] [--batch B] [--json]
                  --json prints {"accuracy", "loss", "examples", "seconds", "split", "data", "model"}.""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("model", "data", "split", "batch");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        Path modelDir = Path.of(args.require("model"));
        String spec = args.require("data");
        Split split = Split.parse(args.get("split", "test"));
        try (ModelDir dir = ModelDir.open(modelDir);
             PluginHandle<Architecture> arch = ctx.catalog().open(Architecture.class, dir.config().modelType())) {
            Dataset data = ModelFiles.dataset(ctx.bundleContext(), spec, split);
            Evaluation e = arch.get().evaluate(dir.config(), ModelFiles.weights(dir), data, args.getInt("batch", 256),
                    new ProgressPrinter(ctx.err(), "eval"));
            ctx.out().printf(Locale.ROOT, "%s on %s (%s, %d examples): accuracy %.4f  loss %.4f  %.1f s%n", modelDir,
                    spec, split.label(), e.examples(), e.accuracy(), e.loss(), e.seconds());
            e.metrics().forEach((k, v) -> ctx.out().printf(Locale.ROOT, "  %s %.4f%n", k, v));
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("accuracy", e.accuracy());
            json.put("loss", e.loss());
            json.put("examples", e.examples());
            json.put("seconds", e.seconds());
            json.putAll(e.metrics()); // task-specific figures, e.g. pseudo_perplexity for masked LMs
            json.put("split", split.label());
            json.put("data", spec);
            json.put("model", modelDir.toString());
            return json;
        }
    }
}
