package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.EpochReport;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.core.PluginHandle;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * {@code transfuse train --arch vit --data NAME[:N] --out DIR}: trains a classifier with the
 * architecture's recipe (flags override it), checkpointing every epoch under DIR/checkpoint.
 */
final class TrainCommand implements Command {
    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "train a model on a data set's training split and write a model directory";
    }

    @Override
    public String usage() {
        return """
                transfuse train --arch ARCH --data NAME[:N] [--config CFG.json] [--seed S] [--epochs E] [--batch B]
                                [--lr LR] [--warmup F] [--weight-decay W] [--clip C] [--init DIR] [--no-eval]
                                [--resume] --out DIR [--json]
                  --data     fashion-mnist, digits, ... or a path to the full data; :N takes the first N examples
                  --config   an HF config.json (default: the architecture's recipe fitted to the data)
                  --init     start from the weights of a model directory (fine-tuning)
                  --no-eval  skip the test-split evaluation after each epoch
                  --resume   continue from DIR/checkpoint (written after every epoch)
                  Defaults are the architecture's recipe; ViT: 20 epochs, batch 128, lr 3e-3, warmup 0.05,
                  weight decay 0.05, clip 1.0, seed 1. ViT images are pixels scaled to [0, 1].""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("arch", "data", "config", "seed", "epochs", "batch", "lr", "warmup",
                "weight-decay", "clip", "init", "out").flag("no-eval").flag("resume");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws java.io.IOException {
        String spec = args.require("data");
        Path out = Path.of(args.require("out"));
        ModelConfig given = args.has("config") ? ConfigJson.read(Path.of(args.get("config"))) : null;
        String arch = args.has("arch") ? args.get("arch") : given != null ? given.modelType() : null;
        if (arch == null) {
            throw new UsageException("'train' needs --arch (or a --config with model_type)");
        }
        if (given != null && !arch.equals(given.modelType())) {
            throw new TransfuseException(args.get("config") + ": model_type \"" + given.modelType()
                    + "\" does not match --arch " + arch);
        }
        Dataset train = ModelFiles.dataset(ctx.bundleContext(), spec, Split.TRAIN);
        Dataset test = args.flag("no-eval") ? null
                : ModelFiles.dataset(ctx.bundleContext(), spec.replaceAll(":\\d+$", ""), Split.TEST);
        try (PluginHandle<Architecture> handle = ctx.catalog().open(Architecture.class, arch)) {
            Architecture a = handle.get();
            ModelConfig initConfig = null;
            if (given == null && args.has("init")) {
                try (ModelDir dir = ModelDir.open(Path.of(args.get("init")))) {
                    initConfig = dir.config();
                }
            }
            // Fine-tuning keeps the init model's body; the architecture fits its head to the data.
            ModelConfig config = given != null ? given
                    : initConfig != null ? a.finetuneConfig(initConfig, train) : a.defaultConfig(train);
            TrainOptions d = a.defaultOptions();
            TrainOptions o = new TrainOptions(args.getInt("epochs", d.epochs()), args.getInt("batch", d.batchSize()),
                    args.getDouble("lr", d.lr()), args.getDouble("weight-decay", d.weightDecay()),
                    args.getDouble("warmup", d.warmup()), args.getDouble("clip", d.clipNorm()),
                    args.has("seed") ? Long.parseLong(args.get("seed")) : d.seed(), out.resolve("checkpoint"),
                    args.flag("resume"));
            Map<String, Tensor> init = null;
            if (args.has("init")) {
                try (ModelDir dir = ModelDir.open(Path.of(args.get("init")))) {
                    init = ModelFiles.weights(dir);
                }
            }
            ctx.err().printf("training %s on %s (%d examples) for %d epochs, seed %d -> %s%n", arch, spec, train.size(),
                    o.epochs(), o.seed(), out);
            ProgressPrinter printer = new ProgressPrinter(ctx.err(), "train " + arch);
            ProgressListener progress = (task, done, total, message) -> {
                if (task.equals("epoch")) {
                    ctx.err().println(message); // one line per epoch, never rate-limited away
                } else {
                    printer.progress(task, done, total, message);
                }
            };
            long start = System.nanoTime();
            TrainResult r = a.train(new TrainRequest(config, train, test, init, o), progress);
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("transfuse.data", spec);
            meta.put("transfuse.seed", Long.toString(o.seed()));
            meta.put("transfuse.epochs", Integer.toString(o.epochs()));
            ModelDir.write(out, config, r.weights().entrySet().stream()
                    .map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(), meta);
            for (Map.Entry<String, byte[]> f : a.modelFiles(config).entrySet()) {
                java.nio.file.Files.write(out.resolve(f.getKey()), f.getValue()); // e.g. a text model's tokenizer.json
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("out", out.toString());
            json.put("arch", arch);
            json.put("data", spec);
            json.put("examples", train.size());
            json.put("epochs", o.epochs());
            json.put("resumed_from_epoch", r.resumedFromEpoch());
            json.put("seconds", seconds);
            if (!r.epochs().isEmpty()) {
                EpochReport last = r.epochs().get(r.epochs().size() - 1);
                json.put("train_loss", last.trainLoss());
                json.put("images_per_second", last.examplesPerSecond());
                if (last.test() != null) {
                    json.put("test_accuracy", last.test().accuracy());
                    json.put("test_loss", last.test().loss());
                    last.test().metrics().forEach((k, v) -> json.put("test_" + k, v));
                }
                ctx.out().printf(Locale.ROOT, "trained %s in %.1f s: train loss %.4f%s -> %s%n", arch, seconds,
                        last.trainLoss(), last.test() == null ? "" : String.format(Locale.ROOT,
                                ", test accuracy %.4f", last.test().accuracy()), out);
            } else {
                ctx.out().printf("nothing to train: the checkpoint already holds %d epochs -> %s%n", o.epochs(), out);
            }
            return json;
        }
    }
}
