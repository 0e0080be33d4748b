package transfuse.jobs.kinds;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.model.ModelConfig;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.BarrierCurve;
import transfuse.fusion.CurvePlot;
import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LossBarrier;
import transfuse.io.config.ModelDir;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.json.JsonText;
import transfuse.io.safetensors.TensorSource;
import transfuse.jobs.internal.ContextServices;
import transfuse.jobs.internal.DemoReport;
import transfuse.jobs.internal.DemoRows;
import transfuse.jobs.internal.Result;
import transfuse.jobs.internal.TrainingProgress;

/**
 * {@code demo}: the main job on bundled data. Two ViT parents of different seeds on the bundled
 * Fashion-MNIST subset (trained once and cached under the home's {@code demo/}), fused by vanilla
 * averaging, permutation merging, OT with exact EMD and OT with Sinkhorn; test accuracy of each
 * one-shot and after a short finetune beside the parents finetuned alike, the aligned parent 2 (B'),
 * loss barriers against B' and against parent 2, and an HTML report, all written together.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=demo")
public final class DemoJob implements Job<DemoJob.Spec> {
    private static final String DATA = "fashion-mnist";
    private static final long[] SEEDS = {1, 2};
    /**
     * Loss-barrier points (lambda = 0, 0.25, ..., 1: an odd count, so the midpoint, where the
     * barrier of unaligned models peaks, is measured) and the training images they are measured on.
     */
    private static final int BARRIER_STEPS = 5;
    private static final int BARRIER_IMAGES = 1000;
    private static final String[][] METHODS = {
            {"vanilla", "method=vanilla"},
            {"perm", "method=perm"},
            {"ot-emd", "method=ot,solver=emd"},
            {"ot-sinkhorn", "method=ot,solver=sinkhorn"},
    };
    /** What the demo writes, and so what an earlier demo's output may hold to be replaced. */
    private static final Set<String> OUTPUTS = Set.of("report.html", "barrier.svg", "results.json", "models");

    /**
     * @param trainSamples 0 for every bundled training image
     * @param otResidual   the ot fusions' {@code residual}, or null for the ot aligner's default
     */
    record Spec(Path out, Path cache, int epochs, int trainSamples, int samples, int testSamples, boolean retrain,
                String otResidual) {
    }

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String description() {
        return "train (or load cached) two ViTs on Fashion-MNIST, fuse them by every method, write an HTML report";
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public String usage() {
        return """
                transfuse demo [--out DIR] [--epochs E] [--train-samples N] [--samples N] [--test-samples N]
                               [--cache DIR] [--retrain] [--json]
                  Writes DIR/report.html, barrier.svg, results.json and models/ (all together or nothing).
                  Finetuning of each fused model runs 10% of a parent's optimizer steps, and so does each parent's
                  (the fair control); barriers have 5 points on 1,000 training images, against B' (parent 2 aligned)
                  and against parent 2 as trained.""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.output("out", "report directory (default runs/demo)").withDefault("runs/demo"),
                OptionDecl.integer("epochs", 4L, 1, 1000, "epochs per parent"),
                OptionDecl.integer("train-samples", null, 1, Integer.MAX_VALUE,
                        "train the parents on the first N training images (default: all 12,000 bundled)"),
                OptionDecl.integer("samples", 500L, 1, Integer.MAX_VALUE, "training images whose activations align the parents"),
                OptionDecl.integer("test-samples", 2000L, 1, Integer.MAX_VALUE,
                        "accuracy on the first N test images (10000 = the whole split)"),
                OptionDecl.text("cache", null, "where trained parents are kept, per epochs and seed (default HOME/demo)"),
                OptionDecl.flag("retrain", "train the parents again even when cached"),
                OptionDecl.text("ot-residual", null, "residual policy of both ot fusions (default: ot's own,"
                        + " see fuse --help)"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        Path out = context.output("out", v.text("out"), "demo");
        AtomicDirectory.checkReplaceable(out, OUTPUTS, Set.of());
        Path cache = v.has("cache") ? context.input("cache", v.text("cache")) : context.home().resolve("demo");
        String otResidual = v.has("ot-residual") ? v.text("ot-residual") : null;
        if (otResidual != null) { // checked by the ot aligner itself, before any work
            ContextServices services = new ContextServices(context);
            try {
                for (String[] m : METHODS) {
                    FusionOptions.parse(options(m[1], 1, otResidual), 2, services::aligner);
                }
            } catch (TransfuseException e) {
                throw new TransfuseException(v.key("ot-residual") + ": " + e.getMessage(), e);
            }
        }
        return new Spec(out, cache, v.intValue("epochs"), v.has("train-samples") ? v.intValue("train-samples") : 0,
                v.intValue("samples"), v.intValue("test-samples"), v.flag("retrain"), otResidual);
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        DemoLog log = new DemoLog(context);
        ContextServices services = new ContextServices(context);
        Architecture vit = services.architecture("vit");
        String trainSpec = s.trainSamples() > 0 ? DATA + ":" + s.trainSamples() : DATA;
        Dataset train = services.dataset(trainSpec, Split.TRAIN);
        Dataset test = services.dataset(DATA + ":" + s.testSamples(), Split.TEST);
        ModelConfig config = vit.defaultConfig(train);
        TrainOptions recipe = vit.defaultOptions().withEpochs(s.epochs());
        // Only cancellation is checked in phases whose progress the demo does not print.
        ProgressListener quiet = (task, done, total, message) -> context.checkCancelled();

        List<Path> parents = new ArrayList<>();
        for (long seed : SEEDS) {
            parents.add(parent(log, s, vit, config, recipe.withSeed(seed), train, trainSpec));
        }
        int parentSteps = s.epochs() * (train.size() / recipe.batchSize());
        int finetuneSteps = Math.max(1, parentSteps / 10);
        Dataset finetuneData = services.dataset(DATA + ":" + finetuneSteps * recipe.batchSize(), Split.TRAIN);
        TrainOptions finetune = recipe.withEpochs(1).withLr(recipe.lr() / 3).withSeed(7);

        List<Map<String, Object>> rows = new ArrayList<>();
        Map<String, Tensor> anchor = ModelDir.loadWeights(parents.get(0));
        Map<String, Tensor> other = ModelDir.loadWeights(parents.get(1));
        // The fair control: each parent trained for the fused models' extra steps, same schedule and data.
        List<Evaluation> controls = new ArrayList<>();
        for (int i = 0; i < parents.size(); i++) {
            String name = "parent seed " + SEEDS[i];
            Map<String, Tensor> w = i == 0 ? anchor : other;
            Evaluation e = evaluate(log, vit, config, w, test, name, quiet);
            log.say("finetuning " + name + " for " + finetuneSteps + " steps (the fair control)");
            TrainResult tuned = vit.train(new TrainRequest(config, finetuneData, null, w, finetune), quiet);
            Evaluation after = evaluate(log, vit, config, tuned.weights(), test, name + " +" + finetuneSteps + " steps",
                    quiet);
            controls.add(after);
            rows.add(DemoRows.parent(name, e, after));
        }
        FusionEngine engine = new FusionEngine(services);
        LossBarrier barriers = new LossBarrier(services);
        Dataset barrierData = services.dataset(DATA + ":" + BARRIER_IMAGES, Split.TRAIN);
        // lambda = 1 is parent 1 for every method, and B as trained is parent 2: each evaluated once.
        Evaluation anchorOnBarrierData = vit.evaluate(config, anchor, barrierData, 256, quiet);
        Evaluation otherOnBarrierData = vit.evaluate(config, other, barrierData, 256, quiet);
        List<BarrierCurve> curves = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        AtomicDirectory.write(s.out(), OUTPUTS, Set.of(), dir -> {
            for (String[] m : METHODS) {
                FusionOptions fo = FusionOptions.parse(options(m[1], s.samples(), s.otResidual()), 2, services::aligner);
                Path fused = dir.resolve("models").resolve(m[0]);
                log.say("fusing by " + m[0] + " " + fo.toMap());
                long t0 = System.nanoTime();
                FusionEngine.FusedPair pair = engine.fuseAndAlign(parents.get(0), parents.get(1), fo, fused, quiet);
                double fuseSeconds = (System.nanoTime() - t0) / 1e9;
                Evaluation oneShot = evaluate(log, vit, config, ModelDir.loadWeights(fused), test, m[0] + " one-shot", quiet);
                Evaluation aligned = evaluate(log, vit, config, pair.aligned(), test, m[0] + " B' (parent 2 aligned)", quiet);
                log.say("finetuning " + m[0] + " for " + finetuneSteps + " steps");
                TrainResult tuned = vit.train(new TrainRequest(config, finetuneData, null, ModelDir.loadWeights(fused),
                        finetune), quiet);
                Evaluation after = evaluate(log, vit, config, tuned.weights(), test, m[0] + " finetuned", quiet);
                // B aligned by this very fusion: the barrier needs no second alignment.
                BarrierCurve c = barriers.along(m[0], config, anchor, pair.aligned(), BARRIER_STEPS, barrierData,
                        anchorOnBarrierData, otherOnBarrierData, quiet);
                curves.add(c);
                rows.add(DemoRows.fused(m[0], oneShot, after, aligned, c, fuseSeconds));
                log.say(String.format(Locale.ROOT, "%s barrier %.4f (against the parents as trained %.4f)%s", m[0],
                        c.barrier(), c.barrierOriginal(), c.alignedEndpointDiffers() ? "; B' is not parent 2's function" : ""));
            }
            String svg = CurvePlot.svg("loss barrier between the two parents (Fashion-MNIST train, " + BARRIER_IMAGES
                    + " images)", curves);
            Files.writeString(dir.resolve("barrier.svg"), svg, StandardCharsets.UTF_8);
            result.put("data", DATA);
            result.put("parents", parents.stream().map(Path::toString).toList());
            result.put("parent_epochs", s.epochs());
            result.put("parent_steps", parentSteps);
            result.put("finetune_steps", finetuneSteps);
            result.put("samples", s.samples());
            result.put("test_images", test.size());
            result.put("barrier_images", barrierData.size());
            result.put("barrier_steps", BARRIER_STEPS);
            result.put("rows", rows);
            result.put("fair_control", DemoRows.fairControl(rows, controls, finetuneSteps));
            List<Object> b = new ArrayList<>();
            curves.forEach(c -> b.add(c.toJson()));
            result.put("barriers", b);
            result.put("seconds", log.seconds());
            result.put("report", s.out().resolve("report.html").toString());
            Files.write(dir.resolve("results.json"), JsonText.pretty(result));
            Files.writeString(dir.resolve("report.html"), DemoReport.html(result, rows, svg), StandardCharsets.UTF_8);
        });
        log.say("report written to " + s.out().resolve("report.html"));
        String text = DemoRows.table(rows, result, test.size()) + String.format(Locale.ROOT, "demo finished in %.0f s; report: %s%n",
                log.seconds(), s.out().resolve("report.html"));
        return new Result(result, text);
    }

    /** Phase messages in the job's log, each with the seconds since the demo started. */
    private static final class DemoLog {
        private final JobContext context;
        private final long start = System.nanoTime();

        DemoLog(JobContext context) {
            this.context = context;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        void say(String message) {
            context.checkCancelled();
            context.log(String.format(Locale.ROOT, "demo [%6.1f s] %s", seconds(), message));
        }
    }

    private static Map<String, String> options(String spec, int samples, String otResidual) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            o.put(p[0], p[1]);
        }
        if (!o.get("method").equals("vanilla")) {
            o.put("data", DATA);
            o.put("samples", Integer.toString(samples));
        }
        if (o.get("method").equals("ot") && otResidual != null) {
            o.put("residual", otResidual);
        }
        return o;
    }

    /** A cached parent, or a freshly trained one saved to the cache (whole, by ModelDir.save). */
    private static Path parent(DemoLog log, Spec s, Architecture vit, ModelConfig config, TrainOptions o,
                               Dataset train, String trainSpec) {
        Path dir = s.cache().resolve(
                String.format(Locale.ROOT, "vit-%s-e%d-seed%d", trainSpec.replace(':', '-'), o.epochs(), o.seed()));
        if (!s.retrain() && ModelDir.isModelDir(dir) && Files.exists(dir.resolve(ModelDir.WEIGHTS))) {
            log.say("using cached parent " + dir);
            return dir;
        }
        log.say(String.format(Locale.ROOT, "training parent seed %d (%d epochs on %d images)", o.seed(), o.epochs(),
                train.size()));
        TrainResult r = vit.train(new TrainRequest(config, train, null, null, o),
                TrainingProgress.of(log.context, "train seed " + o.seed(), log::say));
        List<TensorSource> sources = new ArrayList<>();
        r.weights().forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.save(dir, config, sources, Map.of("transfuse.seed", Long.toString(o.seed())), Map.of());
        return dir;
    }

    private static Evaluation evaluate(DemoLog log, Architecture vit, ModelConfig config, Map<String, Tensor> w,
                                       Dataset test, String what, ProgressListener quiet) {
        Evaluation e = vit.evaluate(config, w, test, 500, quiet);
        log.say(String.format(Locale.ROOT, "%s test accuracy %.4f loss %.4f (%d images)", what, e.accuracy(), e.loss(),
                test.size()));
        return e;
    }
}
