package transfuse.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.FusionResult;
import transfuse.fusion.SpaceStat;

/** {@code transfuse fuse}: fuse N models into the first one's shape and write a model directory. */
final class FuseCommand implements Command {
    @Override
    public String name() {
        return "fuse";
    }

    @Override
    public String summary() {
        return "fuse N models (ot, perm, vanilla) into the first one's shape; writes a model directory";
    }

    @Override
    public String usage() {
        return """
                transfuse fuse --models A B [C ...] --method ot|perm|vanilla [options] --out DIR [--json]
                transfuse fuse SPEC.yaml [options]     (the same keys as flat YAML; flags override the file)
                  --align acts|weights        evidence for ot (default acts; perm needs acts; vanilla none)
                  --data NAME[:N]             training examples whose activations are compared (needed for acts)
                  --samples N                 how many of them (default 500)      --seed S   window of samples (0: first)
                  --tokens all|cls|window:K   token positions the taps keep (default all)
                  --alpha a,b,...             model weights summing to 1 (default 1/N)
                  ot:   --solver S (sinkhorn default, emd, sinkhorn-log, ... any registered) --reg R (0.08 acts,
                        0.06 weights)  --qk separate|shared|joint (separate)
                        --residual mean|weighted-scalar|weighted-matrix|identity|skip-only (mean)
                  perm: --heads permute|monotonic|ignore (permute)
                        --residual-perm first|last|all|identity|separate (first; separate is not function-preserving)
                  --depth-align               match layers first (OT over 1 - CKA of layer updates; needs --data), so
                                              models of different depth fuse; without it a depth mismatch is refused
                The anchor (first model) sets the output's shape; the output is written whole or not at all.""";
    }

    @Override
    public OptionSpec options() {
        return FusionArgs.declare(new OptionSpec());
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        FusionArgs f = FusionArgs.of(args, name());
        FusionOptions options = FusionOptions.parse(f.options, f.models.size());
        ctx.err().println("fusing " + f.models + " by " + options.toMap() + " -> " + f.out);
        FusionResult r;
        try (RegistryServices services = new RegistryServices(ctx)) {
            r = new FusionEngine(services).fuse(f.models, options, Path.of(f.out),
                    new ProgressPrinter(ctx.err(), "fuse"));
        }
        printTable(ctx, r);
        return r.toJson(true);
    }

    static void printTable(CliContext ctx, FusionResult r) {
        TextTable t = new TextTable("model", "space", "how", "map", "solver", "iterations", "seconds");
        for (SpaceStat s : r.spaces()) {
            t.row(s.model(), s.space(), s.how(), s.rows() + "x" + s.cols(), s.details().getOrDefault("solver", ""),
                    s.details().getOrDefault("iterations", ""), String.format(Locale.ROOT, "%.3f", s.seconds()));
        }
        t.print(ctx.out());
        ctx.out().printf(Locale.ROOT, "fused %d models in %.2f s (activations %.2f s, %d samples) -> %s%s%n",
                r.models().size(), r.seconds(), r.evidenceSeconds(), r.samples(), r.out(),
                r.options().functionPreserving() ? "" : "  [residual-perm separate: not function-preserving]");
    }
}
