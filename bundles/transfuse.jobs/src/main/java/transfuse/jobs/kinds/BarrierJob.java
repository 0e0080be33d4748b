package transfuse.jobs.kinds;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.core.PluginCatalog;
import transfuse.fusion.BarrierCurve;
import transfuse.fusion.CurvePlot;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LossBarrier;
import transfuse.io.files.AtomicFiles;
import transfuse.io.files.OutputCheck;
import transfuse.io.json.JsonText;
import transfuse.jobs.internal.ContextServices;
import transfuse.jobs.internal.FusionKeys;
import transfuse.jobs.internal.FusionSpec;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;
import transfuse.jobs.TextTable;

/**
 * {@code barrier}: the loss along lambda A + (1 - lambda) B' (B' = B aligned to A) and the barrier,
 * as a JSON curve and an optional SVG plot, written together or not at all.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=barrier")
public final class BarrierJob implements Job<BarrierJob.Spec> {
    private static final List<String> OWN_KEYS = List.of("models", "out", "plot", "steps");

    /** @param plot null when no plot is asked for */
    record Spec(List<Path> models, FusionOptions options, String data, int steps, Path out, Path plot) {
    }

    private final FusionKeys keys;

    @Activate
    public BarrierJob(@Reference PluginCatalog catalog) {
        this(FusionKeys.of(catalog));
    }

    BarrierJob(FusionKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "barrier";
    }

    @Override
    public String description() {
        return "loss-barrier curve between A and B aligned to A (JSON + SVG plot)";
    }

    @Override
    public String usage() {
        return """
                transfuse barrier --models A B --method ot|perm|vanilla [fuse options] --data NAME[:N] [--steps 21]
                                  --out CURVE.json [--plot CURVE.svg] [--json]
                transfuse barrier SPEC.yaml [options]  (the same keys as flat YAML; flags override the file)
                  The loss (mean cross-entropy) and accuracy are measured on the training split named by --data
                  (which also provides the activations that align B); barrier = max loss - mean of the end losses.""";
    }

    @Override
    public List<OptionDecl> options() {
        return FuseJob.concat(FusionSpec.declarations(keys.declarations()),
                OptionDecl.integer("steps", 21L, 2, 10_000, "points on the path, both ends included"),
                OptionDecl.output("out", "the curve (.json)"),
                OptionDecl.output("plot", "the plot (.svg)"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        List<Path> models = FusionSpec.models(v, context);
        if (models.size() != 2) {
            throw new TransfuseException(v.key("models") + ": needs exactly two models, got " + models.size());
        }
        String data = v.text("data");
        if (data == null) {
            throw new TransfuseException(v.key("data") + ": required (the examples the loss is measured on)");
        }
        Map<String, Object> given = FusionSpec.given(v, OWN_KEYS);
        if (given.getOrDefault("method", "ot").equals("vanilla") || "weights".equals(given.get("align"))) {
            given.remove("data"); // the loss needs it; the alignment itself does not
        }
        FusionOptions options = FusionKeys.parse(given, 2, new ContextServices(context));
        Path out = Outputs.required(v, context, "out", "curve.json");
        OutputCheck.file(out);
        Path plot = Outputs.optional(v, context, "plot", "curve.svg");
        if (plot != null) {
            OutputCheck.file(plot);
            if (plot.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new TransfuseException(v.key("plot") + ": the same file as the curve");
            }
        }
        return new Spec(models, options, data, v.intValue("steps"), out, plot);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        context.log("loss barrier between " + s.models().get(0) + " and " + s.models().get(1) + " aligned by "
                + s.options().toMap() + ", " + s.steps() + " points on " + s.data());
        ContextServices services = new ContextServices(context);
        LossBarrier barrier = new LossBarrier(services);
        BarrierCurve curve = barrier.curve(s.models().get(0), s.models().get(1), s.options(), s.steps(),
                barrier.trainingData(s.data()), context.progress("barrier"));
        if (!Double.isFinite(curve.barrier())) {
            throw new TransfuseException("the loss is not finite along the path between " + s.models());
        }
        Map<String, Object> json = curve.toJson();
        json.put("models", s.models().stream().map(Path::toString).toList());
        json.put("data", s.data());
        json.put("options", s.options().toMap());
        Map<Path, byte[]> files = new LinkedHashMap<>();
        files.put(s.out(), JsonText.pretty(json));
        if (s.plot() != null) {
            files.put(s.plot(), CurvePlot.svg("loss barrier: " + s.models().get(0).getFileName() + " vs "
                    + s.models().get(1).getFileName(), List.of(curve)).getBytes(StandardCharsets.UTF_8));
        }
        context.checkCancelled();
        AtomicFiles.writeAll(files);
        context.log(String.format(Locale.ROOT, "barrier %.4f (against A and B as trained %.4f)%s -> %s", curve.barrier(),
                curve.barrierOriginal(), curve.alignedEndpointDiffers() ? "; B' is not B's function" : "", s.out()));
        TextTable t = new TextTable("lambda", "loss", "accuracy");
        for (int i = 0; i < curve.lambdas().length; i++) {
            t.row(String.format(Locale.ROOT, "%.3f", curve.lambdas()[i]), String.format(Locale.ROOT, "%.4f",
                    curve.losses()[i]), String.format(Locale.ROOT, "%.4f", curve.accuracies()[i]));
        }
        String text = t.render() + String.format(Locale.ROOT, "B as trained: loss %.4f accuracy %.4f; B' (lambda 0):"
                        + " loss %.4f accuracy %.4f%s%n", curve.endpointLoss(), curve.endpointAccuracy(),
                curve.alignedEndpointLoss(), curve.alignedEndpointAccuracy(), curve.alignedEndpointDiffers()
                        ? " -- B' computes another function than B" : " (the same function)")
                + String.format(Locale.ROOT, "barrier (%s): %.4f, against A and B as trained %.4f  -> %s%n",
                s.options().method(), curve.barrier(), curve.barrierOriginal(), s.out());
        return new Result(json, text);
    }
}
