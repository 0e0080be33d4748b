package transfuse.init.sws.internal;

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
import transfuse.api.arch.Distillation;
import transfuse.api.arch.EpochReport;
import transfuse.api.arch.LayerReindexing;
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
import transfuse.init.sws.Learngene;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.files.TrainingOutput;
import transfuse.io.safetensors.TensorSource;

/**
 * {@code learngene --ancestor DIR [--stages 3,3,4,3,3] --data NAME[:N] [--epochs E] [--alpha A]
 * [--tau T] [--kd soft|hard] --out LG}: distils SWS's Aux-Net (the ancestor's architecture, the
 * stages' layers sharing one block per stage, initialized afresh from the seed as the official
 * code does) from the ancestor on a data set, then writes the learngene: the stage model (one
 * layer per stage, with the Aux-Net's embeddings, final norm and head) whose config records
 * {@link Learngene#FIELD} ({@link Learngene}). Every key is checked before any tensor is read.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=learngene")
public final class LearngeneJob implements Job<LearngeneJob.Spec> {
    /** @param fromAncestor start the stage blocks, embeddings and head from the ancestor's (else fresh) */
    record Spec(Path ancestor, ModelConfig ancestorConfig, ModelConfig auxConfig, AuxNetStages stages, String data,
                TrainOptions options, double alpha, double tau, String kd, boolean fromAncestor, Path out) {
        Path checkpoint() {
            return options.checkpointDir();
        }
    }

    @Override
    public String name() {
        return "learngene";
    }

    @Override
    public String description() {
        return "distil a stage-shared Aux-Net from an ancestor and write its learngene (SWS)";
    }

    @Override
    public boolean trains() {
        return true;
    }

    @Override
    public String usage() {
        return """
                transfuse learngene --ancestor DIR [--stages 3,3,4,3,3] --data NAME[:N] [--epochs E] [--batch B]
                                    [--lr LR] [--seed S] [--alpha A] [--tau T] [--kd soft|hard]
                                    [--aux-init fresh|ancestor] [--resume] --out LG [--json]
                  --ancestor  the trained model distilled from (a classifier, or a BERT masked LM)
                  --stages    layers per stage of the Aux-Net; its depth is their sum (default 3,3,4,3,3 = 16)
                  --alpha     weight of the distillation term, 1 - alpha weighs the labels' CE (default 1)
                  --tau       distillation temperature (default 1)
                  --kd        soft: tau^2 KL to the teacher's softened outputs; hard: CE to its argmax (default soft)
                  --aux-init  fresh: the architecture's initialization, as the official code (default); ancestor:
                              stage s starts from the ancestor's layer floor((s + 1/2) L / S), embeddings and
                              head from the ancestor's
                  --resume    continue an interrupted run from LG/checkpoint (written after every epoch;
                              removed once the learngene is written)
                  Other defaults are the architecture's training recipe. The Aux-Net starts from a fresh
                  initialization (seed), as in the official SWS code.""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.input("ancestor", "the trained model to distil from"),
                OptionDecl.list("stages", "layers per Aux-Net stage, e.g. 3,3,4,3,3 (the default)"),
                OptionDecl.data("data", "the training data: a bundled name or a path; :N takes the first N"),
                OptionDecl.integer("epochs", null, 1, 1_000_000, "epochs (default: recipe)"),
                OptionDecl.integer("batch", null, 1, 1 << 20, "batch size (default: recipe)"),
                OptionDecl.number("lr", null, Double.MIN_VALUE, Double.MAX_VALUE, "peak learning rate (default: recipe)"),
                OptionDecl.integer("seed", null, 0, Long.MAX_VALUE, "seed of initialization and shuffling (default: recipe)"),
                OptionDecl.number("alpha", 1.0, 0, 1, "weight of the distillation term"),
                OptionDecl.number("tau", 1.0, Double.MIN_VALUE, Double.MAX_VALUE, "distillation temperature"),
                OptionDecl.choice("kd", "soft", List.of("soft", "hard"), "soft (KL) or hard (teacher's argmax)"),
                OptionDecl.choice("aux-init", "fresh", List.of("fresh", "ancestor"), "the Aux-Net's start: the"
                        + " architecture's initialization (official) or the ancestor's evenly spaced layers"),
                OptionDecl.flag("resume", "continue from OUT/checkpoint"),
                OptionDecl.output("out", "the learngene directory to write"));
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        AuxNetStages stages = AuxNetStages.parse(v.has("stages") ? v.list("stages") : List.of(AuxNetStages.DEFAULT),
                v.key("stages"));
        double alpha = v.number("alpha");
        double tau = v.number("tau");
        String kd = v.require("kd");
        Path ancestor = context.input("ancestor", v.require("ancestor"));
        ModelConfig config = ConfigJson.read(ancestor.resolve(ModelDir.CONFIG));
        if (!hasHead(config)) {
            throw new TransfuseException(v.key("ancestor") + ": " + ancestor + " has no head to distil from"
                    + " (neither a classifier's id2label nor an HF *ForMaskedLM architecture)");
        }
        if (!config.has(LayerReindexing.DEPTH_FIELD)) {
            throw new TransfuseException(v.key("ancestor") + ": " + ancestor.resolve(ModelDir.CONFIG) + " has no "
                    + LayerReindexing.DEPTH_FIELD);
        }
        Architecture arch = context.plugin(Architecture.class, config.modelType());
        ModelConfig aux = config.with(LayerReindexing.DEPTH_FIELD, stages.depth());
        arch.graph(aux); // the Aux-Net is declarable before any work
        String data = v.require("data");
        Path out = context.output("out", v.text("out"), "learngene");
        if (out == null) {
            throw new TransfuseException(v.key("out") + ": required");
        }
        ModelDir.checkSavable(out);
        if (v.flag("resume") && !Files.isDirectory(out.resolve(ModelDir.CHECKPOINT))) {
            throw new TransfuseException(v.key("resume") + ": no checkpoint at " + out.resolve(ModelDir.CHECKPOINT)
                    + " to resume from");
        }
        TrainOptions d = arch.defaultOptions();
        TrainOptions o = new TrainOptions(
                v.has("epochs") ? v.intValue("epochs") : d.epochs(),
                v.has("batch") ? v.intValue("batch") : d.batchSize(),
                v.has("lr") ? v.number("lr") : d.lr(),
                d.weightDecay(), d.warmup(), d.clipNorm(),
                v.has("seed") ? v.integer("seed") : d.seed(), out.resolve(ModelDir.CHECKPOINT), v.flag("resume"));
        return new Spec(ancestor, config, aux, stages, data, o, alpha, tau, kd,
                v.require("aux-init").equals("ancestor"), out);
    }

    /** A classification head (HF's id2label) or a masked-LM head (HF's architectures naming one). */
    private static boolean hasHead(ModelConfig config) {
        if (config.fields().get("id2label") instanceof Map<?, ?> labels && !labels.isEmpty()) {
            return true;
        }
        return config.fields().get("architectures") instanceof List<?> names
                && names.stream().anyMatch(n -> String.valueOf(n).endsWith("ForMaskedLM"));
    }

    @Override
    public JobResult run(Spec s, JobContext context) throws IOException {
        long start = System.nanoTime();
        Architecture arch = context.plugin(Architecture.class, s.ancestorConfig().modelType());
        Dataset train = context.dataset(s.data(), Split.TRAIN);
        Map<String, Tensor> teacher = ModelDir.loadWeights(s.ancestor());
        context.log(String.format(Locale.ROOT, "distilling a %d-layer Aux-Net in stages %s from %s on %s (%d"
                        + " examples) for %d epochs, %s KD alpha %s tau %s -> %s", s.stages().depth(),
                s.stages().asList(), s.ancestor(), s.data(), train.size(), s.options().epochs(), s.kd(), s.alpha(),
                s.tau(), s.out()));
        ProgressListener progress = context.progress("learngene");
        Map<String, Tensor> init = !s.fromAncestor() ? null : LayerReindexing.weights(arch.graph(s.ancestorConfig()),
                arch.graph(s.auxConfig()), teacher, s.stages().ancestorLayers(
                        s.ancestorConfig().getInt(LayerReindexing.DEPTH_FIELD)));
        TrainingOutput output = TrainingOutput.before(s.out(), s.checkpoint());
        TrainResult r;
        try {
            r = arch.train(new TrainRequest(s.auxConfig(), train, null, init, s.options(),
                    s.stages().sharedLayers(), new Distillation(s.ancestorConfig(), teacher, s.alpha(), s.tau(),
                            s.kd().equals("hard"))), progress);
            context.checkCancelled();
        } catch (RuntimeException | Error e) {
            output.discardIfFresh();
            throw e;
        }
        if (r.epochs().isEmpty()) {
            throw new TransfuseException(s.checkpoint() + ": the checkpoint already holds all "
                    + s.options().epochs() + " epochs; nothing to train");
        }
        r.epochs().forEach(e -> context.log(String.format(Locale.ROOT, "epoch %d: train loss %.4f, %.1f s, %.0f"
                + " examples/s", e.epoch(), e.trainLoss(), e.seconds(), e.examplesPerSecond())));
        // Epochs before a resume took as many steps as each epoch of this run.
        long steps = r.epochs().stream().mapToLong(EpochReport::steps).sum()
                + (long) r.resumedFromEpoch() * r.epochs().get(0).steps();
        List<Double> losses = r.epochs().stream().map(EpochReport::trainLoss).toList();
        ModelConfig stageModel = s.ancestorConfig().with(LayerReindexing.DEPTH_FIELD, s.stages().lengths().length);
        Map<String, Tensor> weights = LayerReindexing.weights(arch.graph(s.auxConfig()), arch.graph(stageModel),
                r.weights(), s.stages().representatives());
        arch.validate(stageModel, weights);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("transfuse.ancestor", s.ancestor().toString());
        meta.put("transfuse.data", s.data());
        meta.put("transfuse.seed", Long.toString(s.options().seed()));
        Learngene learngene = new Learngene(stageModel, s.stages().lengths(), s.stages().depth(),
                s.ancestor().toString(), s.alpha(), s.tau(), s.kd(), steps, losses);
        List<TensorSource> sources = new ArrayList<>();
        weights.forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        // Learngene.write's layout, plus the files the architecture keeps beside a model (a tokenizer).
        ModelDir.save(s.out(), learngene.config(), sources, meta, arch.modelFiles(stageModel));
        // The Aux-Net checkpoint is for an interrupted run only; the learngene is the stage layers alone.
        AtomicDirectory.deleteTree(s.checkpoint());
        double seconds = (System.nanoTime() - start) / 1e9;
        EpochReport last = r.epochs().get(r.epochs().size() - 1);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("out", s.out().toString());
        json.put("ancestor", s.ancestor().toString());
        json.put("stages", s.stages().asList());
        json.put("aux_depth", s.stages().depth());
        json.put("steps", steps);
        json.put("losses", losses);
        json.put("resumed_from_epoch", r.resumedFromEpoch());
        json.put("images_per_second", last.examplesPerSecond());
        json.put("parameters", weights.values().stream().mapToLong(Tensor::numel).sum());
        json.put("seconds", seconds);
        String text = String.format(Locale.ROOT, "distilled a %d-stage learngene (Aux-Net depth %d) from %s in %.1f s:"
                        + " train loss %.4f -> %.4f -> %s%n", s.stages().lengths().length, s.stages().depth(),
                s.ancestor(), seconds, losses.get(0), losses.get(losses.size() - 1), s.out());
        return new LearngeneResult(json, text);
    }
}
