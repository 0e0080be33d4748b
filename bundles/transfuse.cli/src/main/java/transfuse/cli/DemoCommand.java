package transfuse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.BarrierCurve;
import transfuse.fusion.CurvePlot;
import transfuse.fusion.FusionEngine;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LossBarrier;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * {@code transfuse demo}: the main job on bundled data. Two ViT parents of different seeds on the
 * bundled Fashion-MNIST subset (trained once and cached under ~/.transfuse/demo), fused by
 * vanilla averaging, permutation merging, OT with exact EMD and OT with Sinkhorn; test accuracy
 * of each one-shot and after a short finetune, loss barriers, and an HTML report.
 */
final class DemoCommand implements Command {
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

    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "train (or load cached) two ViTs on Fashion-MNIST, fuse them by every method, write an HTML report";
    }

    @Override
    public String usage() {
        return """
                transfuse demo [--out DIR] [--epochs E] [--train-samples N] [--samples N] [--test-samples N]
                               [--cache DIR] [--retrain] [--json]
                  --out      report directory (default runs/demo): report.html, barrier.svg, results.json, models/
                  --epochs   epochs per parent (default 4)
                  --train-samples  train the parents on the first N training images (default: all 12,000 bundled)
                  --samples  training images whose activations align the parents (default 500)
                  --test-samples   accuracy on the first N test images (default 2000; 10000 = the whole split)
                  --cache    where trained parents are kept, per epochs and seed (default ~/.transfuse/demo)
                  --retrain  train the parents again even when cached
                Finetuning of each fused model runs 10% of a parent's optimizer steps; barriers have 5 points
                on 1,000 training images.""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("out", "epochs", "samples", "train-samples", "test-samples", "cache")
                .flag("retrain");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        Stages stages = new Stages(ctx);
        Path out = Path.of(args.get("out", "runs/demo"));
        Path cache = args.has("cache") ? Path.of(args.get("cache"))
                : Path.of(System.getProperty("user.home"), ".transfuse", "demo");
        int epochs = args.getInt("epochs", 4);
        int samples = args.getInt("samples", 500);
        int testSamples = args.getInt("test-samples", 2000);
        if (epochs <= 0 || samples <= 0 || testSamples <= 0) {
            throw new UsageException("--epochs, --samples and --test-samples must be positive");
        }
        Files.createDirectories(out.resolve("models"));
        try (RegistryServices services = new RegistryServices(ctx)) {
            Architecture vit = services.architecture("vit");
            String trainSpec = args.has("train-samples") ? DATA + ":" + args.getInt("train-samples", 0) : DATA;
            Dataset train = services.dataset(trainSpec, Split.TRAIN);
            Dataset test = services.dataset(DATA + ":" + testSamples, Split.TEST);
            ModelConfig config = vit.defaultConfig(train);
            TrainOptions recipe = vit.defaultOptions().withEpochs(epochs);

            List<Path> parents = new ArrayList<>();
            for (long seed : SEEDS) {
                parents.add(parent(stages, cache, vit, config, recipe.withSeed(seed), train, trainSpec,
                        args.flag("retrain")));
            }
            int parentSteps = epochs * (train.size() / recipe.batchSize());
            int finetuneSteps = Math.max(1, parentSteps / 10);
            Dataset finetuneData = services.dataset(DATA + ":" + finetuneSteps * recipe.batchSize(), Split.TRAIN);
            TrainOptions finetune = recipe.withEpochs(1).withLr(recipe.lr() / 3).withSeed(7);

            List<Map<String, Object>> rows = new ArrayList<>();
            Map<String, Tensor> anchor = FusionEngine.load(parents.get(0));
            for (int i = 0; i < parents.size(); i++) {
                Map<String, Tensor> w = i == 0 ? anchor : FusionEngine.load(parents.get(i));
                Evaluation e = evaluate(stages, vit, config, w, test, "parent seed " + SEEDS[i]);
                rows.add(row("parent seed " + SEEDS[i], e, null, 0));
            }
            FusionEngine engine = new FusionEngine(services);
            LossBarrier barriers = new LossBarrier(services);
            Dataset barrierData = services.dataset(DATA + ":" + BARRIER_IMAGES, Split.TRAIN);
            // lambda = 1 is parent 1 for every method: evaluated once.
            Evaluation anchorOnBarrierData = vit.evaluate(config, anchor, barrierData, 256, ProgressListener.NONE);
            List<BarrierCurve> curves = new ArrayList<>();
            for (String[] m : METHODS) {
                FusionOptions fo = FusionOptions.parse(options(m[1], samples), 2);
                Path fused = out.resolve("models").resolve(m[0]);
                stages.say("fusing by " + m[0] + " " + fo.toMap());
                long t0 = System.nanoTime();
                FusionEngine.FusedPair pair = engine.fuseAndAlign(parents.get(0), parents.get(1), fo, fused,
                        ProgressListener.NONE);
                double fuseSeconds = (System.nanoTime() - t0) / 1e9;
                Evaluation oneShot = evaluate(stages, vit, config, FusionEngine.load(fused), test, m[0] + " one-shot");
                stages.say("finetuning " + m[0] + " for " + finetuneSteps + " steps");
                TrainResult tuned = vit.train(new TrainRequest(config, finetuneData, null, FusionEngine.load(fused),
                        finetune), ProgressListener.NONE);
                Evaluation after = evaluate(stages, vit, config, tuned.weights(), test, m[0] + " finetuned");
                rows.add(row(m[0], oneShot, after, fuseSeconds));
                // B aligned by this very fusion: the barrier needs no second alignment.
                BarrierCurve c = barriers.along(m[0], config, anchor, pair.aligned(), BARRIER_STEPS, barrierData,
                        anchorOnBarrierData, ProgressListener.NONE);
                curves.add(c);
                stages.say(String.format(Locale.ROOT, "%s barrier %.4f", m[0], c.barrier()));
            }
            double seconds = stages.seconds();
            String svg = CurvePlot.svg("loss barrier between the two parents (Fashion-MNIST train, " + BARRIER_IMAGES
                    + " images)", curves);
            Files.writeString(out.resolve("barrier.svg"), svg, StandardCharsets.UTF_8);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("data", DATA);
            result.put("parents", parents.stream().map(Path::toString).toList());
            result.put("parent_epochs", epochs);
            result.put("parent_steps", parentSteps);
            result.put("finetune_steps", finetuneSteps);
            result.put("samples", samples);
            result.put("test_images", test.size());
            result.put("barrier_images", barrierData.size());
            result.put("barrier_steps", BARRIER_STEPS);
            result.put("rows", rows);
            List<Object> b = new ArrayList<>();
            curves.forEach(c -> b.add(c.toJson()));
            result.put("barriers", b);
            result.put("seconds", seconds);
            result.put("report", out.resolve("report.html").toString());
            Files.write(out.resolve("results.json"), ConfigJson.format(new ModelConfig(result, "results.json")));
            Files.writeString(out.resolve("report.html"), DemoReport.html(result, rows, curves, svg),
                    StandardCharsets.UTF_8);
            stages.say("report written to " + out.resolve("report.html"));
            printTable(ctx, rows, curves, test.size());
            ctx.out().printf(Locale.ROOT, "demo finished in %.0f s; report: %s%n", seconds, out.resolve("report.html"));
            return result;
        }
    }

    /** Stage messages on stderr, each with the seconds since the demo started. */
    private static final class Stages {
        private final CliContext ctx;
        private final long start = System.nanoTime();

        Stages(CliContext ctx) {
            this.ctx = ctx;
        }

        double seconds() {
            return (System.nanoTime() - start) / 1e9;
        }

        void say(String message) {
            ctx.err().printf(Locale.ROOT, "demo [%6.1f s] %s%n", seconds(), message);
        }
    }

    private static Map<String, String> options(String spec, int samples) {
        Map<String, String> o = new LinkedHashMap<>();
        for (String kv : spec.split(",")) {
            String[] p = kv.split("=", 2);
            o.put(p[0], p[1]);
        }
        if (!o.get("method").equals("vanilla")) {
            o.put("data", DATA);
            o.put("samples", Integer.toString(samples));
        }
        return o;
    }

    /** A cached parent, or a freshly trained one written to the cache (atomically, by ModelDir.write). */
    private static Path parent(Stages stages, Path cache, Architecture vit, ModelConfig config, TrainOptions o,
                               Dataset train, String trainSpec, boolean retrain) {
        CliContext ctx = stages.ctx;
        Path dir = cache.resolve(
                String.format(Locale.ROOT, "vit-%s-e%d-seed%d", trainSpec.replace(':', '-'), o.epochs(), o.seed()));
        if (!retrain && ModelDir.isModelDir(dir) && Files.exists(dir.resolve(ModelDir.WEIGHTS))) {
            stages.say("using cached parent " + dir);
            return dir;
        }
        stages.say(String.format(Locale.ROOT, "training parent seed %d (%d epochs on %d images)", o.seed(), o.epochs(),
                train.size()));
        ProgressPrinter printer = new ProgressPrinter(ctx.err(), "train seed " + o.seed());
        TrainResult r = vit.train(new TrainRequest(config, train, null, null, o), (task, done, total, message) -> {
            if (task.equals("epoch")) {
                stages.say(message);
            } else {
                printer.progress(task, done, total, message);
            }
        });
        List<TensorSource> sources = new ArrayList<>();
        r.weights().forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.write(dir, config, sources, Map.of("transfuse.seed", Long.toString(o.seed())));
        return dir;
    }

    private static Evaluation evaluate(Stages stages, Architecture vit, ModelConfig config, Map<String, Tensor> w,
                                       Dataset test, String what) {
        Evaluation e = vit.evaluate(config, w, test, 500, ProgressListener.NONE);
        stages.say(String.format(Locale.ROOT, "%s test accuracy %.4f loss %.4f (%d images)", what, e.accuracy(), e.loss(),
                test.size()));
        return e;
    }

    private static Map<String, Object> row(String model, Evaluation oneShot, Evaluation tuned, double fuseSeconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model);
        r.put("accuracy", oneShot.accuracy());
        r.put("loss", oneShot.loss());
        if (tuned != null) {
            r.put("finetuned_accuracy", tuned.accuracy());
            r.put("finetuned_loss", tuned.loss());
            r.put("fuse_seconds", fuseSeconds);
        }
        return r;
    }

    private static void printTable(CliContext ctx, List<Map<String, Object>> rows, List<BarrierCurve> curves,
                                   int testImages) {
        String accuracy = String.format(Locale.ROOT, "test accuracy (first %d)", testImages);
        TextTable t = new TextTable("model", accuracy, "after finetune", "loss barrier");
        for (Map<String, Object> r : rows) {
            String barrier = "";
            for (BarrierCurve c : curves) {
                if (c.method().equals(r.get("model"))) {
                    barrier = String.format(Locale.ROOT, "%.4f", c.barrier());
                }
            }
            t.row(r.get("model"), String.format(Locale.ROOT, "%.4f", (Double) r.get("accuracy")),
                    r.containsKey("finetuned_accuracy") ? String.format(Locale.ROOT, "%.4f",
                            (Double) r.get("finetuned_accuracy")) : "", barrier);
        }
        t.print(ctx.out());
    }
}
