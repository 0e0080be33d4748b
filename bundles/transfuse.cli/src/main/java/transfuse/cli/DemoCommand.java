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
                transfuse demo [--out DIR] [--epochs E] [--train-samples N] [--samples N] [--retrain] [--json]
                  --out      report directory (default runs/demo): report.html, barrier.svg, results.json, models/
                  --epochs   epochs per parent (default 4; parents are cached per epochs and seed under ~/.transfuse/demo)
                  --train-samples  train the parents on the first N training images (default: all 12,000 bundled)
                  --samples  training images whose activations align the parents (default 500)
                  --retrain  train the parents again even when cached
                Finetuning of each fused model runs 10% of a parent's optimizer steps.""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("out", "epochs", "samples", "train-samples").flag("retrain");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        long start = System.nanoTime();
        Path out = Path.of(args.get("out", "runs/demo"));
        int epochs = args.getInt("epochs", 4);
        int samples = args.getInt("samples", 500);
        if (epochs <= 0 || samples <= 0) {
            throw new UsageException("--epochs and --samples must be positive");
        }
        Files.createDirectories(out.resolve("models"));
        try (RegistryServices services = new RegistryServices(ctx)) {
            Architecture vit = services.architecture("vit");
            String trainSpec = args.has("train-samples") ? DATA + ":" + args.getInt("train-samples", 0) : DATA;
            Dataset train = services.dataset(trainSpec, Split.TRAIN);
            Dataset test = services.dataset(DATA, Split.TEST);
            ModelConfig config = vit.defaultConfig(train);
            TrainOptions recipe = vit.defaultOptions().withEpochs(epochs);

            List<Path> parents = new ArrayList<>();
            for (long seed : SEEDS) {
                parents.add(parent(ctx, vit, config, recipe.withSeed(seed), train, trainSpec, args.flag("retrain")));
            }
            int parentSteps = epochs * (train.size() / recipe.batchSize());
            int finetuneSteps = Math.max(1, parentSteps / 10);
            Dataset finetuneData = services.dataset(DATA + ":" + finetuneSteps * recipe.batchSize(), Split.TRAIN);
            TrainOptions finetune = recipe.withEpochs(1).withLr(recipe.lr() / 3).withSeed(7);

            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < parents.size(); i++) {
                Evaluation e = evaluate(ctx, vit, config, FusionEngine.load(parents.get(i)), test, "parent " + (i + 1));
                rows.add(row("parent seed " + SEEDS[i], e, null, 0));
            }
            FusionEngine engine = new FusionEngine(services);
            LossBarrier barriers = new LossBarrier(services);
            Dataset barrierData = services.dataset(DATA + ":1000", Split.TRAIN);
            List<BarrierCurve> curves = new ArrayList<>();
            for (String[] m : METHODS) {
                Map<String, String> o = options(m[1], samples);
                FusionOptions fo = FusionOptions.parse(o, 2);
                Path fused = out.resolve("models").resolve(m[0]);
                ctx.err().println("demo: fusing by " + m[0] + " " + fo.toMap());
                long t0 = System.nanoTime();
                engine.fuse(parents, fo, fused, ProgressListener.NONE);
                double fuseSeconds = (System.nanoTime() - t0) / 1e9;
                Evaluation oneShot = evaluate(ctx, vit, config, FusionEngine.load(fused), test, m[0] + " one-shot");
                ctx.err().println("demo: finetuning " + m[0] + " for " + finetuneSteps + " steps");
                TrainResult tuned = vit.train(new TrainRequest(config, finetuneData, null, FusionEngine.load(fused),
                        finetune), ProgressListener.NONE);
                Evaluation after = evaluate(ctx, vit, config, tuned.weights(), test, m[0] + " finetuned");
                rows.add(row(m[0], oneShot, after, fuseSeconds));
                BarrierCurve c = barriers.curve(parents.get(0), parents.get(1), fo, 11, barrierData, ProgressListener.NONE);
                curves.add(new BarrierCurve(m[0], c.lambdas(), c.losses(), c.accuracies()));
                ctx.err().printf(Locale.ROOT, "demo: %s barrier %.4f%n", m[0], c.barrier());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            String svg = CurvePlot.svg("loss barrier between the two parents (Fashion-MNIST train, 1000 images)", curves);
            Files.writeString(out.resolve("barrier.svg"), svg, StandardCharsets.UTF_8);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("data", DATA);
            result.put("parents", parents.stream().map(Path::toString).toList());
            result.put("parent_epochs", epochs);
            result.put("parent_steps", parentSteps);
            result.put("finetune_steps", finetuneSteps);
            result.put("samples", samples);
            result.put("rows", rows);
            List<Object> b = new ArrayList<>();
            curves.forEach(c -> b.add(c.toJson()));
            result.put("barriers", b);
            result.put("seconds", seconds);
            result.put("report", out.resolve("report.html").toString());
            Files.write(out.resolve("results.json"), ConfigJson.format(new ModelConfig(result, "results.json")));
            Files.writeString(out.resolve("report.html"), DemoReport.html(result, rows, curves, svg),
                    StandardCharsets.UTF_8);
            printTable(ctx, rows, curves);
            ctx.out().printf(Locale.ROOT, "demo finished in %.0f s; report: %s%n", seconds, out.resolve("report.html"));
            return result;
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
    private static Path parent(CliContext ctx, Architecture vit, ModelConfig config, TrainOptions o, Dataset train,
                               String trainSpec, boolean retrain) {
        Path dir = Path.of(System.getProperty("user.home"), ".transfuse", "demo",
                String.format(Locale.ROOT, "vit-%s-e%d-seed%d", trainSpec.replace(':', '-'), o.epochs(), o.seed()));
        if (!retrain && ModelDir.isModelDir(dir) && Files.exists(dir.resolve(ModelDir.WEIGHTS))) {
            ctx.err().println("demo: using cached parent " + dir);
            return dir;
        }
        ctx.err().printf(Locale.ROOT, "demo: training parent seed %d (%d epochs on %d images)%n", o.seed(), o.epochs(),
                train.size());
        ProgressPrinter printer = new ProgressPrinter(ctx.err(), "train seed " + o.seed());
        TrainResult r = vit.train(new TrainRequest(config, train, null, null, o), (task, done, total, message) -> {
            if (task.equals("epoch")) {
                ctx.err().println(message);
            } else {
                printer.progress(task, done, total, message);
            }
        });
        List<TensorSource> sources = new ArrayList<>();
        r.weights().forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.write(dir, config, sources, Map.of("transfuse.seed", Long.toString(o.seed())));
        return dir;
    }

    private static Evaluation evaluate(CliContext ctx, Architecture vit, ModelConfig config, Map<String, Tensor> w,
                                       Dataset test, String what) {
        Evaluation e = vit.evaluate(config, w, test, 500, ProgressListener.NONE);
        ctx.err().printf(Locale.ROOT, "demo: %s test accuracy %.4f loss %.4f%n", what, e.accuracy(), e.loss());
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

    private static void printTable(CliContext ctx, List<Map<String, Object>> rows, List<BarrierCurve> curves) {
        TextTable t = new TextTable("model", "test accuracy", "after finetune", "loss barrier");
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
