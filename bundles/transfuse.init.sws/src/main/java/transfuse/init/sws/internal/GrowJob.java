package transfuse.init.sws.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.init.InitRequest;
import transfuse.api.init.Initializer;
import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.model.ModelConfig;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.LayerSchedule;
import transfuse.init.sws.Learngene;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * {@code grow --learngene LG --depth D [--layers-source 0,0,1,...] [--init sws|random|truncate|...] --out DIR}:
 * builds a descendant of depth D with an initializer and saves it as an ordinary model directory,
 * atomically. Every key is checked in {@link #spec} before any tensor is read.
 */
@Component(service = Job.class, property = Plugin.NAME_PROPERTY + "=grow")
public final class GrowJob implements Job<GrowJob.Spec> {
    /**
     * @param source       the learngene or model directory grown from
     * @param sourceConfig its config (a learngene's with its record)
     * @param depthConfig  the source's config at the new depth, its labels kept
     * @param target       the descendant's config (new labels when asked)
     * @param layers       the layers source given, or null for the initializer's default
     */
    record Spec(String init, String arch, Path source, ModelConfig sourceConfig, ModelConfig depthConfig,
                ModelConfig target, int[] layers, long seed, Path out) {
    }

    /** The registered initializers' names: the choices of {@code init}, following bundles as they come and go. */
    private final Set<String> initializers = new ConcurrentSkipListSet<>();

    @Reference(service = Initializer.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addInitializer(Initializer initializer) {
        initializers.add(initializer.name());
    }

    void removeInitializer(Initializer initializer) {
        initializers.remove(initializer.name());
    }

    @Override
    public String name() {
        return "grow";
    }

    @Override
    public String description() {
        return "initialize a descendant of any depth from a learngene (or another initializer) as a model directory";
    }

    @Override
    public String usage() {
        return """
                transfuse grow --learngene LG --depth D [--layers-source 0,0,1,...] [--init sws|random|truncate|...]
                               [--num-labels N] [--seed S] --out DIR [--json]
                transfuse grow --from MODEL --depth D --init truncate|random ... --out DIR
                  --learngene     a learngene directory (docs/sws.md); sws grows depths 1 .. 2 x its Aux-Net depth
                  --from          a full model directory, for truncate (its evenly spaced layers) or random
                  --layers-source for each new layer the stage (or source layer) it copies; default: the stages
                                  in order, repeated in proportion to their Aux-Net lengths (docs/sws.md)
                  --init          a registered initializer (transfuse plugins); default sws
                  --num-labels    a new head for N labels (id2label LABEL_0 ...); default: the source's head""";
    }

    @Override
    public List<OptionDecl> options() {
        return List.of(
                OptionDecl.input("learngene", "the learngene directory to grow from"),
                OptionDecl.input("from", "a full model directory to grow from (truncate, random)"),
                OptionDecl.integer("depth", null, 1, 1_000_000, "the descendant's number of layers"),
                OptionDecl.list("layers-source", "the stage (or source layer) each new layer copies, e.g. 0,0,1,2"),
                initOption(),
                OptionDecl.text("arch", null, "the expected architecture (default: model_type of the source)"),
                OptionDecl.integer("num-labels", null, 1, 1_000_000, "a new head for this many labels"),
                OptionDecl.integer("seed", 1L, 0, Long.MAX_VALUE, "seed of whatever is initialized afresh"),
                OptionDecl.output("out", "the model directory to write"));
    }

    /** A choice among the registered initializers; free text (checked in spec) before any is known. */
    private OptionDecl initOption() {
        List<String> names = List.copyOf(initializers);
        String doc = "the initializer: sws, or another registered one";
        return names.isEmpty() ? OptionDecl.text("init", "sws", doc) : OptionDecl.choice("init", "sws", names, doc);
    }

    @Override
    public Spec spec(OptionValues v, JobContext context) {
        String init = v.require("init");
        try {
            context.plugin(Initializer.class, init);
        } catch (TransfuseException e) {
            throw new TransfuseException(v.key("init") + ": " + e.getMessage());
        }
        Path source = source(v, context, init);
        ModelConfig config = ConfigJson.read(source.resolve(ModelDir.CONFIG));
        Learngene learngene = Learngene.isLearngene(config) || v.has("learngene") ? Learngene.of(config) : null;
        if (v.has("arch") && !v.text("arch").equals(config.modelType())) {
            throw new TransfuseException(v.key("arch") + ": " + source + " is a " + config.modelType()
                    + " model, not " + v.text("arch"));
        }
        Architecture arch = context.plugin(Architecture.class, config.modelType());
        if (!config.has(LayerReindexing.DEPTH_FIELD)) {
            throw new TransfuseException(source.resolve(ModelDir.CONFIG) + ": " + LayerReindexing.DEPTH_FIELD
                    + " is missing");
        }
        int sourceDepth = config.getInt(LayerReindexing.DEPTH_FIELD);
        int depth = (int) v.integer("depth");
        checkDepth(v, init, learngene, source, sourceDepth, depth);
        int[] layers = layers(v, depth, sourceDepth, learngene != null, source);
        if (layers != null && init.equals("random")) {
            throw new TransfuseException(v.key("layers-source") + ": the random initializer copies no layers");
        }
        if (layers == null) {
            layers = defaultLayers(init, learngene, sourceDepth, depth); // recorded in the result and metadata
        }
        ModelConfig depthConfig = Learngene.withoutField(config).with(LayerReindexing.DEPTH_FIELD, depth);
        ModelConfig target = depthConfig;
        if (v.has("num-labels") && v.intValue("num-labels") != Relabeling.labels(config)) {
            if (Relabeling.labels(config) < 0) {
                throw new TransfuseException(v.key("num-labels") + ": " + source + " has no id2label to replace");
            }
            target = Relabeling.config(depthConfig, v.intValue("num-labels"));
        }
        arch.graph(target); // the descendant's config is declarable before any work
        Path out = context.output("out", v.text("out"), "model");
        if (out == null) {
            throw new TransfuseException(v.key("out") + ": required");
        }
        if (out.toAbsolutePath().normalize().equals(source.toAbsolutePath().normalize())) {
            throw new TransfuseException(v.key("out") + ": " + out + " is the directory grown from");
        }
        ModelDir.checkSavable(out);
        if (!init.equals("random") && !Files.isRegularFile(source.resolve(ModelDir.WEIGHTS))) {
            throw new TransfuseException(source + ": no " + ModelDir.WEIGHTS + " to grow from");
        }
        return new Spec(init, config.modelType(), source, config, depthConfig, target, layers, v.integer("seed"), out);
    }

    /** The directory grown from: a learngene for sws, either kind for the others. */
    private static Path source(OptionValues v, JobContext context, String init) {
        if (v.has("learngene") && v.has("from")) {
            throw new TransfuseException(v.key("from") + ": give " + v.key("learngene") + " or " + v.key("from")
                    + ", not both");
        }
        if (!v.has("learngene") && (init.equals("sws") || !v.has("from"))) {
            throw new TransfuseException(v.key("learngene") + ": required" + (init.equals("sws") ? ""
                    : " (or " + v.key("from") + " with a full model)"));
        }
        String key = v.has("learngene") ? "learngene" : "from";
        return context.input(key, v.text(key));
    }

    private static void checkDepth(OptionValues v, String init, Learngene learngene, Path source, int sourceDepth,
                                   int depth) {
        if (init.equals("sws") && depth > 2 * learngene.auxDepth()) {
            throw new TransfuseException(v.key("depth") + ": " + depth + " is beyond 2 x aux_depth = "
                    + 2 * learngene.auxDepth() + " of the learngene " + source);
        }
        if (init.equals("truncate") && !v.has("layers-source") && depth > sourceDepth) {
            throw new TransfuseException(v.key("depth") + ": truncate keeps layers of the " + sourceDepth
                    + "-layer model " + source + "; " + depth + " is deeper");
        }
    }

    /** The documented default of the built-in re-indexing initializers, or null for the others' own. */
    private static int[] defaultLayers(String init, Learngene learngene, int sourceDepth, int depth) {
        return switch (init) {
            case "sws" -> LayerSchedule.forDepth(learngene.stages(), depth);
            case "truncate" -> LayerSchedule.evenlySpaced(sourceDepth, depth);
            default -> null;
        };
    }

    /** The given layers source (items may hold comma-separated indices), or null when absent. */
    private static int[] layers(OptionValues v, int depth, int sourceDepth, boolean stages, Path source) {
        if (!v.has("layers-source")) {
            return null;
        }
        List<Integer> out = new ArrayList<>();
        for (String item : v.list("layers-source")) {
            for (String part : item.split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    out.add(Integer.parseInt(part.strip()));
                } catch (NumberFormatException e) {
                    throw new TransfuseException(v.key("layers-source") + ": '" + part.strip()
                            + "' is not a layer index");
                }
            }
        }
        if (out.size() != depth) {
            throw new TransfuseException(v.key("layers-source") + ": " + out.size() + " entries for depth " + depth
                    + "; give one per layer");
        }
        String what = stages ? "stage" : "layer";
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) < 0 || out.get(i) >= sourceDepth) {
                throw new TransfuseException(v.key("layers-source") + ": entry " + i + " names " + what + " "
                        + out.get(i) + " but " + source + " has " + what + "s 0.." + (sourceDepth - 1));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public JobResult run(Spec s, JobContext context) {
        long start = System.nanoTime();
        Architecture arch = context.plugin(Architecture.class, s.arch());
        Initializer init = context.plugin(Initializer.class, s.init());
        ProgressListener progress = context.progress("grow " + s.init());
        progress.progress("grow", 0, 3, "reading " + s.source());
        // The source's tensors stay mapped while the descendant is written: copied layers share
        // them, so memory holds pages being copied rather than either model whole.
        boolean hasWeights = Files.isRegularFile(s.source().resolve(ModelDir.WEIGHTS)); // random needs none
        try (ModelDir dir = hasWeights ? ModelDir.open(s.source()) : null) {
            Map<String, Tensor> source = new LinkedHashMap<>();
            if (dir != null) {
                dir.tensors().forEach(e -> source.put(e.name(), dir.weights().tensor(e.name())));
            }
            progress.progress("grow", 1, 3, "initializing depth " + s.target().getInt(LayerReindexing.DEPTH_FIELD));
            Map<String, Tensor> weights = init.initialize(new InitRequest(arch, s.sourceConfig(), source,
                    s.depthConfig(), s.layers(), s.seed()));
            if (!s.target().equals(s.depthConfig())) {
                weights = Relabeling.weights(arch, s.target(), weights, s.seed());
            }
            arch.validate(s.target(), weights);
            progress.progress("grow", 2, 3, "writing " + s.out());
            write(s, arch, weights);
        }
        progress.progress("grow", 3, 3, "");
        return result(s, start);
    }

    private static void write(Spec s, Architecture arch, Map<String, Tensor> weights) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("transfuse.init", s.init());
        meta.put("transfuse.source", s.source().toString());
        meta.put("transfuse.seed", Long.toString(s.seed()));
        if (s.layers() != null) {
            meta.put("transfuse.layers_source", LayerSchedule.format(s.layers()));
        }
        List<TensorSource> tensors = new ArrayList<>();
        weights.forEach((n, t) -> tensors.add(TensorSource.of(n, t)));
        ModelDir.save(s.out(), s.target(), tensors, meta, arch.modelFiles(s.target()));
    }

    private static JobResult result(Spec s, long start) {
        double seconds = (System.nanoTime() - start) / 1e9;
        long parameters;
        try (ModelDir grown = ModelDir.open(s.out())) {
            parameters = grown.summary().parameterCount();
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("out", s.out().toString());
        json.put("init", s.init());
        json.put("source", s.source().toString());
        json.put("arch", s.arch());
        json.put("depth", s.target().getInt(LayerReindexing.DEPTH_FIELD));
        json.put("layers_source", s.layers() == null ? null : Arrays.stream(s.layers()).boxed().toList());
        json.put("parameters", parameters);
        json.put("seconds", seconds);
        String text = String.format(Locale.ROOT, "grew a %d-layer %s (%d parameters) with %s from %s in %.2f s -> %s%n",
                s.target().getInt(LayerReindexing.DEPTH_FIELD), s.arch(), parameters, s.init(), s.source(), seconds,
                s.out());
        return new GrowResult(json, text);
    }
}
