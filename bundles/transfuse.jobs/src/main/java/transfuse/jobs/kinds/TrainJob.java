package transfuse.jobs.kinds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.EpochReport;
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
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.files.TrainingOutput;
import transfuse.io.safetensors.TensorSource;
import transfuse.jobs.internal.DataSpecs;
import transfuse.jobs.internal.FiniteWeights;
import transfuse.jobs.internal.Outputs;
import transfuse.jobs.internal.Result;
import transfuse.jobs.internal.TrainingProgress;

/**
 * {@code train --arch vit --data NAME[:N] --out DIR}: trains with the architecture's recipe (options
 * override it), checkpointing every epoch under {@code DIR/checkpoint}, then saves the model
 * directory whole. A failed or cancelled run that started afresh leaves nothing behind; one that
 * resumed keeps its checkpoint, so it can resume again.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=train")
public final class TrainJob implements Job<TrainJob.Spec> {
    /** @param test the whole test split, or null with no-eval */
    record Spec(String arch, String data, ModelConfig config, TrainOptions options, Path init, Path out,
                boolean evaluate) {
    }

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String description() {
        return "train a model on a data set's training split and write a model directory";
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public String usage() {
        return """
                transfuse train --arch ARCH --data NAME[:N] [--config CFG.json] [--seed S] [--epochs E] [--batch B]
                                [--lr LR] [--warmup F] [--weight-decay W] [--clip C] [--init DIR] [--no-eval]
                                [--resume] --out DIR [--json]
                  --data     fashion-mnist, digits, ... or a path to the full data; :N trains on the first N examples
                             (the per-epoch test accuracy is always on the whole test split)
                  --config   an HF config.json (default: the architecture's recipe fitted to the data)
                  --init     start from the weights of a model directory (fine-tuning)
                  --no-eval  skip the test-split evaluation after each epoch
                  --resume   continue from DIR/checkpoint (written after every epoch); it must exist
                  Defaults are the architecture's recipe; ViT: 20 epochs, batch 128, lr 3e-3, warmup 0.05,
                  weight decay 0.05, clip 1.0, seed 1. ViT images are pixels scaled to [0, 1].""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.text("arch", null, "the architecture (default: model_type of --config)"),
                OptionDecl.data("data", "the training data: a bundled name or a path; :N takes the first N"),
                OptionDecl.input("config", "an HF config.json (default: the recipe fitted to the data)"),
                OptionDecl.integer("seed", null, 0, Long.MAX_VALUE, "seed of initialization and shuffling (default: recipe)"),
                OptionDecl.integer("epochs", null, 1, 1_000_000, "epochs (default: recipe)"),
                OptionDecl.integer("batch", null, 1, 1 << 20, "batch size (default: recipe)"),
                OptionDecl.number("lr", null, Double.MIN_VALUE, Double.MAX_VALUE, "peak learning rate (default: recipe)"),
                OptionDecl.number("warmup", null, 0, 0.999999, "warm-up fraction of the steps (default: recipe)"),
                OptionDecl.number("weight-decay", null, 0, Double.MAX_VALUE, "AdamW weight decay (default: recipe)"),
                OptionDecl.number("clip", null, 0, Double.MAX_VALUE, "gradient-norm limit, 0 for none (default: recipe)"),
                OptionDecl.input("init", "start from this model directory's weights (fine-tuning)"),
                OptionDecl.flag("no-eval", "skip the test-split evaluation after each epoch"),
                OptionDecl.flag("resume", "continue from OUT/checkpoint"),
                OptionDecl.output("out", "the model directory to write"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        String data = v.require("data");
        Path out = Outputs.required(v, context, "out", "model");
        ModelDir.checkSavable(out);
        if (v.flag("resume") && !Files.isDirectory(out.resolve(ModelDir.CHECKPOINT))) {
            throw new TransfuseException(v.key("resume") + ": no checkpoint at " + out.resolve(ModelDir.CHECKPOINT)
                    + " to resume from");
        }
        Path configFile = Outputs.input(v, context, "config");
        ModelConfig given = configFile == null ? null : ConfigJson.read(configFile);
        String arch = v.has("arch") ? v.text("arch") : given != null ? given.modelType() : null;
        if (arch == null) {
            throw new TransfuseException(v.key("arch") + ": required (or a config with model_type)");
        }
        if (given != null && !arch.equals(given.modelType())) {
            throw new TransfuseException(configFile + ": model_type \"" + given.modelType() + "\" does not match arch " + arch);
        }
        Architecture a = context.plugin(Architecture.class, arch);
        Path init = Outputs.input(v, context, "init");
        Dataset train = context.dataset(data, Split.TRAIN);
        ModelConfig config;
        if (given != null) {
            config = given;
        } else if (init != null) {
            try (ModelDir dir = ModelDir.open(init)) {
                // Fine-tuning keeps the init model's body; the architecture fits its head to the data.
                config = a.finetuneConfig(dir.config(), train);
            }
        } else {
            config = a.defaultConfig(train);
        }
        a.graph(config); // validates the config's fields before any work
        TrainOptions d = a.defaultOptions();
        TrainOptions o = new TrainOptions(
                v.has("epochs") ? v.intValue("epochs") : d.epochs(),
                v.has("batch") ? v.intValue("batch") : d.batchSize(),
                v.has("lr") ? v.number("lr") : d.lr(),
                v.has("weight-decay") ? v.number("weight-decay") : d.weightDecay(),
                v.has("warmup") ? v.number("warmup") : d.warmup(),
                v.has("clip") ? v.number("clip") : d.clipNorm(),
                v.has("seed") ? v.integer("seed") : d.seed(),
                out.resolve(ModelDir.CHECKPOINT), v.flag("resume"));
        return new Spec(arch, data, config, o, init, out, !v.flag("no-eval"));
    }

    @Override
    public JobResult run(Spec s, JobContext context) throws IOException {
        Architecture a = context.plugin(Architecture.class, s.arch());
        Dataset train = context.dataset(s.data(), Split.TRAIN);
        Dataset test = s.evaluate() ? context.dataset(DataSpecs.whole(s.data()), Split.TEST) : null;
        Map<String, Tensor> init = s.init() == null ? null : FiniteWeights.check(s.init(), ModelDir.loadWeights(s.init()));
        TrainOptions o = s.options();
        context.log(String.format("training %s on %s (%d examples) for %d epochs, seed %d -> %s", s.arch(), s.data(),
                train.size(), o.epochs(), o.seed(), s.out()));
        ProgressListener progress = TrainingProgress.of(context, "train " + s.arch(), context::log);
        TrainingOutput output = TrainingOutput.before(s.out(), o.checkpointDir());
        long start = System.nanoTime();
        TrainResult r;
        try {
            r = a.train(new TrainRequest(s.config(), train, test, init, o), progress);
            context.checkCancelled();
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("transfuse.data", s.data());
            meta.put("transfuse.seed", Long.toString(o.seed()));
            meta.put("transfuse.epochs", Integer.toString(o.epochs()));
            ModelDir.save(s.out(), s.config(), r.weights().entrySet().stream()
                    .map(e -> TensorSource.of(e.getKey(), e.getValue())).toList(), meta, a.modelFiles(s.config()));
        } catch (RuntimeException | Error e) {
            output.discardIfFresh();
            throw e;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("out", s.out().toString());
        json.put("arch", s.arch());
        json.put("data", s.data());
        json.put("examples", train.size());
        json.put("epochs", o.epochs());
        json.put("resumed_from_epoch", r.resumedFromEpoch());
        json.put("seconds", seconds);
        json.put("history", history(r.epochs()));
        String text;
        if (!r.epochs().isEmpty()) {
            EpochReport last = r.epochs().get(r.epochs().size() - 1);
            json.put("train_loss", last.trainLoss());
            json.put("images_per_second", last.examplesPerSecond());
            if (last.test() != null) {
                json.put("test_accuracy", last.test().accuracy());
                json.put("test_loss", last.test().loss());
                last.test().metrics().forEach((k, val) -> json.put("test_" + k, val));
            }
            text = String.format(Locale.ROOT, "trained %s in %.1f s: train loss %.4f%s -> %s%n", s.arch(), seconds,
                    last.trainLoss(), last.test() == null ? "" : String.format(Locale.ROOT, ", test accuracy %.4f",
                            last.test().accuracy()), s.out());
        } else {
            text = String.format("nothing to train: the checkpoint already holds %d epochs -> %s%n", o.epochs(), s.out());
        }
        return new Result(json, text);
    }

    /** One entry per epoch trained in this run, so a learning curve needs no log parsing. */
    private static List<Map<String, Object>> history(List<EpochReport> epochs) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (EpochReport e : epochs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e.epoch());
            row.put("steps", e.steps());
            row.put("train_loss", e.trainLoss());
            if (e.test() != null) {
                row.put("test_accuracy", e.test().accuracy());
                row.put("test_loss", e.test().loss());
            }
            rows.add(row);
        }
        return rows;
    }
}
