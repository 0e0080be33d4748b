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
import transfuse.probe.LinearProbe;
import transfuse.probe.Pooling;

/**
 * {@code transfuse eval --model DIR --data NAME [--split test|train]}: accuracy and loss of the
 * model's own head; with {@code --probe}, the accuracy of a linear classifier fitted on the frozen
 * encoder's pooled last hidden state instead ({@link LinearProbe}).
 */
final class EvalCommand implements Command {
    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String summary() {
        return "evaluate a model directory on a data set (test split unless --split says otherwise); --probe: linear probe";
    }

    @Override
    public String usage() {
        return """
                transfuse eval --model DIR --data NAME[:N] [--split test|train] [--batch B] [--json]
                  --json prints {"accuracy", "loss", "examples", "seconds", "split", "data", "model"}.
                transfuse eval --model DIR --data NAME[:N] --probe [--pool mean|cls] [--l2 L] [--json]
                  linear probe: the encoder stays frozen; the last hidden state of every training and test
                  example (the first N of each with NAME:N) is pooled (mean over real tokens, default, or
                  position 0 = CLS), a multinomial logistic regression on standardised features with L2 L
                  (default %s, bias unpenalised) is fitted by L-BFGS on the training split and scored on both.
                  Needs a labelled data set (sentiment, fashion-mnist, digits); works for models without a head.
                  --json prints {"probe": true, "accuracy" (test), "loss" (test), "train_accuracy", "train_loss",
                  "examples", "train_examples", "pool", "l2", "dim", "classes", "iterations", "converged",
                  "embed_seconds", "fit_seconds", "seconds", "split", "data", "model"}.""".formatted(DEFAULT_L2);
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("model", "data", "split", "batch", "pool", "l2").flag("probe");
    }

    /** Weak enough not to bias a well-separated probe, strong enough that the optimum is finite and unique. */
    static final double DEFAULT_L2 = 1e-3;

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        Path modelDir = Path.of(args.require("model"));
        String spec = args.require("data");
        if (args.flag("probe")) {
            return probe(args, ctx, modelDir, spec);
        }
        for (String o : new String[] {"pool", "l2"}) {
            if (args.has(o)) {
                throw new UsageException("option --" + o + " applies only with --probe");
            }
        }
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

    private static Map<String, Object> probe(Args args, CliContext ctx, Path modelDir, String spec) {
        for (String o : new String[] {"split", "batch"}) {
            if (args.has(o)) {
                throw new UsageException("option --" + o + " does not apply with --probe (it fits on the training"
                        + " split and reports both)");
            }
        }
        Pooling pooling = Pooling.parse(args.get("pool", "mean"));
        double l2 = args.getDouble("l2", DEFAULT_L2);
        if (!(l2 > 0) || Double.isInfinite(l2)) {
            throw new UsageException("option --l2: must be a positive finite number, got " + args.get("l2"));
        }
        try (ModelDir dir = ModelDir.open(modelDir);
             PluginHandle<Architecture> arch = ctx.catalog().open(Architecture.class, dir.config().modelType())) {
            Dataset train = ModelFiles.dataset(ctx.bundleContext(), spec, Split.TRAIN);
            Dataset test = ModelFiles.dataset(ctx.bundleContext(), spec, Split.TEST);
            long start = System.nanoTime();
            LinearProbe.Result r = LinearProbe.run(arch.get(), dir.config(), ModelFiles.weights(dir), train, test,
                    pooling, l2, new ProgressPrinter(ctx.err(), "probe"));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!r.converged()) {
                ctx.err().printf(Locale.ROOT, "probe: L-BFGS stopped after %d iterations with max |gradient| %.2e%n",
                        r.iterations(), r.gradInf());
            }
            ctx.out().printf(Locale.ROOT, "%s on %s, linear probe (%s pooling, l2 %g, %d features): test accuracy %.4f"
                            + " (%d examples)  train accuracy %.4f (%d)  test loss %.4f  %d iterations  %.1f s%n",
                    modelDir, spec, pooling.label(), l2, r.dim(), r.test().accuracy(), r.testExamples(),
                    r.train().accuracy(), r.trainExamples(), r.test().loss(), r.iterations(), seconds);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("probe", true);
            json.put("accuracy", r.test().accuracy());
            json.put("loss", r.test().loss());
            json.put("train_accuracy", r.train().accuracy());
            json.put("train_loss", r.train().loss());
            json.put("examples", r.testExamples());
            json.put("train_examples", r.trainExamples());
            json.put("pool", pooling.label());
            json.put("l2", l2);
            json.put("dim", r.dim());
            json.put("classes", r.classes());
            json.put("iterations", r.iterations());
            json.put("converged", r.converged());
            json.put("embed_seconds", r.embedSeconds());
            json.put("fit_seconds", r.fitSeconds());
            json.put("seconds", seconds);
            json.put("split", Split.TEST.label());
            json.put("data", spec);
            json.put("model", modelDir.toString());
            return json;
        }
    }
}
