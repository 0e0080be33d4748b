package transfuse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.fusion.BarrierCurve;
import transfuse.fusion.CurvePlot;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LossBarrier;
import transfuse.io.config.ConfigJson;

/** {@code transfuse barrier}: loss along lambda A + (1 - lambda) B' (B' = B aligned to A) and the barrier. */
final class BarrierCommand implements Command {
    @Override
    public String name() {
        return "barrier";
    }

    @Override
    public String summary() {
        return "loss-barrier curve between A and B aligned to A (JSON + SVG plot)";
    }

    @Override
    public String usage() {
        return """
                transfuse barrier --models A B --method ot|perm|vanilla [fuse options] --data NAME[:N] [--steps 21]
                                  --out CURVE.json [--plot CURVE.svg] [--json]
                  The loss (mean cross-entropy) and accuracy are measured on the training split named by --data
                  (which also provides the activations that align B); barrier = max loss - mean of the end losses.""";
    }

    @Override
    public OptionSpec options() {
        return FusionArgs.declare(new OptionSpec()).value("steps", "plot");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        FusionArgs f = FusionArgs.of(args, name());
        if (f.models.size() != 2) {
            throw new UsageException("'barrier' needs exactly two models, got " + f.models.size());
        }
        String data = f.options.get("data");
        if (data == null) {
            throw new UsageException("'barrier' needs --data NAME[:N] (the examples the loss is measured on)");
        }
        if (f.options.getOrDefault("method", "ot").equals("vanilla") || "weights".equals(f.options.get("align"))) {
            f.options.remove("data"); // not needed for the alignment itself
        }
        FusionOptions options = FusionOptions.parse(f.options, 2);
        int steps = args.getInt("steps", 21);
        BarrierCurve curve;
        try (RegistryServices services = new RegistryServices(ctx)) {
            LossBarrier barrier = new LossBarrier(services);
            curve = barrier.curve(f.models.get(0), f.models.get(1), options, steps, barrier.trainingData(data),
                    new ProgressPrinter(ctx.err(), "barrier"));
        }
        Map<String, Object> json = curve.toJson();
        json.put("models", f.models.stream().map(Path::toString).toList());
        json.put("data", data);
        json.put("options", options.toMap());
        Path out = Path.of(f.out);
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        Files.write(out, ConfigJson.format(new ModelConfig(json, out.toString())));
        if (args.has("plot")) {
            Path plot = Path.of(args.get("plot"));
            if (plot.getParent() != null) {
                Files.createDirectories(plot.getParent());
            }
            Files.writeString(plot, CurvePlot.svg("loss barrier: " + f.models.get(0) + " vs " + f.models.get(1),
                    List.of(curve)), StandardCharsets.UTF_8);
        }
        TextTable t = new TextTable("lambda", "loss", "accuracy");
        for (int i = 0; i < curve.lambdas().length; i++) {
            t.row(String.format(Locale.ROOT, "%.3f", curve.lambdas()[i]), String.format(Locale.ROOT, "%.4f",
                    curve.losses()[i]), String.format(Locale.ROOT, "%.4f", curve.accuracies()[i]));
        }
        t.print(ctx.out());
        ctx.out().printf(Locale.ROOT, "barrier (%s): %.4f  -> %s%n", options.method(), curve.barrier(), out);
        if (!Double.isFinite(curve.barrier())) {
            throw new TransfuseException("the loss is not finite along the path");
        }
        return json;
    }
}
