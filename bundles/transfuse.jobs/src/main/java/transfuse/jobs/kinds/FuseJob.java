package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.FusionResult;
import transfuse.fusion.SpaceStat;
import transfuse.io.config.ModelDir;
import transfuse.jobs.internal.ContextServices;
import transfuse.jobs.internal.FusionKeys;
import transfuse.jobs.internal.FusionSpec;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;
import transfuse.jobs.TextTable;

/** {@code fuse}: N models fused into the first one's shape, written as a model directory whole or not at all. */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=fuse")
public final class FuseJob implements Job<FuseJob.Spec> {
    private static final List<String> OWN_KEYS = List.of("models", "out");

    record Spec(List<Path> models, FusionOptions options, Path out) {
    }

    private final FusionKeys keys;

    @Activate
    public FuseJob(@Reference PluginCatalog catalog) {
        this(FusionKeys.of(catalog));
    }

    FuseJob(FusionKeys keys) {
        this.keys = keys;
    }

    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public String description() {
        return "fuse N models (ot, perm, vanilla) into the first one's shape; writes a model directory";
    }

    @Override
    public String usage() {
        return """
                transfuse fuse --models A B [C ...] --method ot|perm|vanilla [options] --out DIR [--json]
                transfuse fuse SPEC.yaml [options]     (the same keys as flat YAML; flags override the file)
                  The anchor (first model) sets the output's shape; the output is written whole or not at all.
                  Without --depth-align a depth mismatch is refused.""";
    }

    @Override
    public List<OptionDecl> options() {
        List<OptionDecl> all = FusionSpec.declarations(keys.declarations());
        return concat(all, OptionDecl.output("out", "the model directory to write"));
    }

    static List<OptionDecl> concat(List<OptionDecl> a, OptionDecl... more) {
        List<OptionDecl> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return List.copyOf(all);
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        List<Path> models = FusionSpec.models(v, context);
        if (models.size() < 2) {
            throw new TransfuseException(v.key("models") + ": needs at least two model directories, got " + models.size());
        }
        FusionOptions options = FusionKeys.parse(FusionSpec.given(v, OWN_KEYS), models.size(), new ContextServices(context));
        Path out = Outputs.required(v, context, "out", "model");
        for (Path m : models) {
            if (m.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new TransfuseException(v.key("out") + ": " + out + " is one of the input models; choose another output");
            }
        }
        ModelDir.checkSavable(out);
        return new Spec(models, options, out);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        context.log("fusing " + s.models() + " by " + s.options().toMap() + " -> " + s.out());
        FusionResult r = new FusionEngine(new ContextServices(context)).fuse(s.models(), s.options(), s.out(),
                context.progress("fuse"));
        return new Result(r.toJson(true), table(r));
    }

    static String table(FusionResult r) {
        TextTable t = new TextTable("model", "space", "how", "map", "solver", "iterations", "seconds");
        for (SpaceStat s : r.spaces()) {
            t.row(s.model(), s.space(), s.how(), s.rows() + "x" + s.cols(), s.details().getOrDefault("solver", ""),
                    s.details().getOrDefault("iterations", ""), String.format(Locale.ROOT, "%.3f", s.seconds()));
        }
        return t.render() + String.format(Locale.ROOT, "fused %d models in %.2f s (activations %.2f s, %d samples) -> %s%s%n",
                r.models().size(), r.seconds(), r.evidenceSeconds(), r.samples(), r.out(),
                r.options().functionPreserving() ? "" : "  [residual-perm separate: not function-preserving]");
    }
}
