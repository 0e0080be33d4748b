package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.model.ModelConfig;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;
import transfuse.jobs.internal.FiniteWeights;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;
import transfuse.probe.LinearProbe;
import transfuse.probe.Pooling;

/**
 * {@code eval --model DIR --data NAME[:N]}: accuracy and loss of the model's own head on a split;
 * with {@code --probe}, a linear classifier fitted on the frozen encoder's pooled last hidden state
 * instead ({@link LinearProbe}).
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=eval")
public final class EvalJob implements Job<EvalJob.Spec> {
    /** Weak enough not to bias a well-separated probe, strong enough that the optimum is finite and unique. */
    static final double DEFAULT_L2 = 1e-3;

    /** @param pooling null for an evaluation of the model's own head */
    record Spec(Path model, ModelConfig config, String data, Split split, int batch, Pooling pooling, double l2) {
    }

    @Override
    public String name() {
        return "eval";
    }

    @Override
    public String description() {
        return "evaluate a model directory on a data set (test split unless --split says otherwise); --probe: linear probe";
    }

    @Override
    public String usage() {
        return """
                transfuse eval --model DIR --data NAME[:N] [--split test|train] [--batch B] [--json]
                  NAME:N evaluates the first N examples of the split.
                  --json prints {"accuracy", "loss", "examples", "seconds", "split", "data", "model"} (+ task metrics).
                transfuse eval --model DIR --data NAME[:N] --probe [--pool mean|cls] [--l2 L] [--json]
                  linear probe: the encoder stays frozen; the last hidden state of every training and test
                  example (the first N of each with NAME:N) is pooled (mean over real tokens, default, or
                  position 0 = CLS), a multinomial logistic regression on standardised features with L2 L
                  (bias unpenalised) is fitted by L-BFGS on the training split and scored on both.
                  Needs a labelled data set (sentiment, fashion-mnist, digits); works for models without a head.
                  --json prints {"probe": true, "accuracy" (test), "loss" (test), "train_accuracy", "train_loss",
                  "examples", "train_examples", "pool", "l2", "dim", "classes", "iterations", "converged",
                  "embed_seconds", "fit_seconds", "seconds", "split", "data", "model"}.""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.input("model", "the model directory"),
                OptionDecl.data("data", "fashion-mnist, digits, sentiment, kjv, or a path; :N takes the first N"),
                OptionDecl.choice("split", "test", List.of("test", "train"), "the split to evaluate (not with --probe)"),
                OptionDecl.integer("batch", 256L, 1, 1 << 20, "examples per forward pass (not with --probe)"),
                OptionDecl.flag("probe", "fit and score a linear probe on the frozen encoder instead of its head"),
                OptionDecl.choice("pool", "mean", List.of("mean", "cls"), "probe pooling (with --probe)"),
                OptionDecl.number("l2", DEFAULT_L2, Double.MIN_VALUE, Double.MAX_VALUE, "probe L2 penalty (with --probe)"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        Path model = Outputs.requiredInput(v, context, "model");
        String data = v.require("data");
        boolean probe = v.flag("probe");
        for (String k : probe ? List.of("split", "batch") : List.of("pool", "l2")) {
            if (v.has(k)) {
                throw new TransfuseException(v.key(k) + (probe ? ": does not apply with --probe (it fits on the training"
                        + " split and reports both)" : ": applies only with --probe"));
            }
        }
        ModelConfig config;
        try (ModelDir dir = ModelDir.open(model)) {
            config = dir.config();
        }
        context.plugin(Architecture.class, config.modelType()).graph(config); // validates the config's fields
        return new Spec(model, config, data, Split.parse(v.text("split")), v.intValue("batch"),
                probe ? Pooling.parse(v.text("pool")) : null, v.number("l2"));
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        Architecture arch = context.plugin(Architecture.class, s.config().modelType());
        Map<String, Tensor> weights = FiniteWeights.check(s.model(), ModelDir.loadWeights(s.model()));
        return s.pooling() == null ? evaluate(s, context, arch, weights) : probe(s, context, arch, weights);
    }

    private static JobResult evaluate(Spec s, JobContext context, Architecture arch, Map<String, Tensor> weights) {
        Dataset data = context.dataset(s.data(), s.split());
        Evaluation e = arch.evaluate(s.config(), weights, data, s.batch(), context.progress("eval"));
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%s on %s (%s, %d examples): accuracy %.4f  loss %.4f  %.1f s%n", s.model(), s.data(),
                s.split().label(), e.examples(), e.accuracy(), e.loss(), e.seconds()));
        e.metrics().forEach((k, val) -> text.append(String.format(Locale.ROOT, "  %s %.4f%n", k, val)));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", e.accuracy());
        json.put("loss", e.loss());
        json.put("examples", e.examples());
        json.put("seconds", e.seconds());
        json.putAll(e.metrics()); // task-specific figures, e.g. pseudo_perplexity for masked LMs
        json.put("split", s.split().label());
        json.put("data", s.data());
        json.put("model", s.model().toString());
        return new Result(json, text.toString());
    }

    private static JobResult probe(Spec s, JobContext context, Architecture arch, Map<String, Tensor> weights) {
        Dataset train = context.dataset(s.data(), Split.TRAIN);
        Dataset test = context.dataset(s.data(), Split.TEST);
        long start = System.nanoTime();
        LinearProbe.Result r = LinearProbe.run(arch, s.config(), weights, train, test, s.pooling(), s.l2(),
                context.progress("probe"));
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!r.converged()) {
            context.log(String.format(Locale.ROOT, "probe: L-BFGS stopped after %d iterations with max |gradient| %.2e",
                    r.iterations(), r.gradInf()));
        }
        String text = String.format(Locale.ROOT, "%s on %s, linear probe (%s pooling, l2 %g, %d features): test accuracy"
                        + " %.4f (%d examples)  train accuracy %.4f (%d)  test loss %.4f  %d iterations  %.1f s%n",
                s.model(), s.data(), s.pooling().label(), s.l2(), r.dim(), r.test().accuracy(), r.testExamples(),
                r.train().accuracy(), r.trainExamples(), r.test().loss(), r.iterations(), seconds);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("probe", true);
        json.put("accuracy", r.test().accuracy());
        json.put("loss", r.test().loss());
        json.put("train_accuracy", r.train().accuracy());
        json.put("train_loss", r.train().loss());
        json.put("examples", r.testExamples());
        json.put("train_examples", r.trainExamples());
        json.put("pool", s.pooling().label());
        json.put("l2", s.l2());
        json.put("dim", r.dim());
        json.put("classes", r.classes());
        json.put("iterations", r.iterations());
        json.put("converged", r.converged());
        json.put("embed_seconds", r.embedSeconds());
        json.put("fit_seconds", r.fitSeconds());
        json.put("seconds", seconds);
        json.put("split", Split.TEST.label());
        json.put("data", s.data());
        json.put("model", s.model().toString());
        return new Result(json, text);
    }
}
