package transfuse.arch.vit;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Distillation;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;
import transfuse.nn.DistillationObjective;
import transfuse.nn.Evaluator;
import transfuse.nn.GradMode;
import transfuse.nn.Objective;
import transfuse.nn.ObjectiveRun;
import transfuse.nn.Params;
import transfuse.nn.TorchThreads;
import transfuse.nn.Trainer;
import transfuse.nn.TrainingRun;

/**
 * The {@code vit} architecture: HF {@code ViTForImageClassification} (pre-LN, exact GELU,
 * classifier on the CLS token). Images are float32 [N, C, H, W] with pixels in [0, 1], as the
 * data sets deliver them (Fashion-MNIST: byte / 255), without mean/std normalisation.
 */
@Component(service = Architecture.class, property = "transfuse.name=vit")
public final class VitArchitecture implements Architecture {
    public static final String NAME = "vit";
    public static final String PIXEL_VALUES = "pixel_values";

    private final DjlRuntime djl;

    /**
     * @param djl the DJL runtime; every DJL call runs through it. libtorch's thread policy is
     *            applied when the runtime loads the engine, not here: a command that never runs
     *            a network (a weights-based fuse) then never loads libtorch.
     */
    @Activate
    public VitArchitecture(@Reference DjlRuntime djl) {
        this.djl = djl;
        djl.whenLoaded(TorchThreads::applyDefault);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Vision Transformer (HF ViTForImageClassification layout, pre-LN, exact GELU) on DJL PyTorch";
    }

    @Override
    public ModelGraph graph(ModelConfig config) {
        return VitGraph.of(VitConfig.of(config));
    }

    @Override
    public List<HeadGroup> headGroups(ModelConfig config) {
        return VitGraph.headGroups(VitConfig.of(config));
    }

    @Override
    public ModelConfig defaultConfig(Dataset data) {
        if (data.modality() != Modality.IMAGE) {
            throw new TransfuseException(data.name() + " holds texts; the vit architecture needs images");
        }
        return VitRecipe.config(data.imageShape(), data.classNames());
    }

    @Override
    public TrainOptions defaultOptions() {
        return VitRecipe.options();
    }

    @Override
    public void validate(ModelConfig config, Map<String, Tensor> weights) {
        validate(VitConfig.of(config), weights);
    }

    private static void validate(VitConfig c, Map<String, Tensor> weights) {
        for (TensorSpec spec : VitGraph.of(c).tensors()) {
            Tensor t = weights.get(spec.name());
            if (t == null) {
                throw new TransfuseException("missing tensor " + spec.name() + " (expected shape "
                        + Arrays.toString(spec.shape()) + ")");
            }
            if (!Arrays.equals(t.shape(), spec.shape())) {
                throw new TransfuseException("tensor " + spec.name() + ": expected shape " + Arrays.toString(spec.shape())
                        + ", found " + Arrays.toString(t.shape()));
            }
            if (!t.dtype().isFloating()) {
                throw new TransfuseException("tensor " + spec.name() + ": expected a floating dtype, found " + t.dtype());
            }
        }
    }

    @Override
    public Map<String, Tensor> initialize(ModelConfig config, long seed) {
        return VitInit.weights(VitConfig.of(config), seed);
    }

    @Override
    public int maxTokens(ModelConfig config) {
        return VitConfig.of(config).tokens();
    }

    @Override
    public Map<String, Tensor> inputs(ModelConfig config, Dataset data, int from, int to) {
        VitConfig c = VitConfig.of(config);
        if (data.modality() != Modality.IMAGE) {
            throw new TransfuseException(data.name() + " holds texts; the vit architecture needs images");
        }
        ImageBatches.checkShape(data.name() + " images", data.imageShape(), c);
        return Map.of(PIXEL_VALUES, data.images(from, to));
    }

    @Override
    public List<String> fileInputs() {
        return List.of(PIXEL_VALUES); // images only: a ViT has no mask
    }

    @Override
    public ForwardResult forward(ModelConfig config, Map<String, Tensor> weights, ForwardRequest request) {
        VitConfig c = VitConfig.of(config);
        validate(c, weights);
        Tensor images = request.inputs().get(PIXEL_VALUES);
        if (images == null) {
            throw new TransfuseException("the vit architecture needs input '" + PIXEL_VALUES + "', got "
                    + request.inputs().keySet());
        }
        long[] s = images.shape();
        if (s.length != 4) {
            throw new TransfuseException(PIXEL_VALUES + " must be [N, C, H, W], found shape " + Arrays.toString(s));
        }
        ImageBatches.checkShape(PIXEL_VALUES + " images", new long[] {s[1], s[2], s[3]}, c);
        Set<String> known = new HashSet<>();
        for (Tap tap : VitGraph.of(c).taps()) {
            known.add(tap.name());
        }
        for (String tap : request.taps()) {
            if (!known.contains(tap)) {
                throw new TransfuseException("unknown tap '" + tap + "' for this vit model");
            }
        }
        int n = Math.toIntExact(s[0]);
        return djl.call(() -> {
            TapCollector taps = new TapCollector(request.taps(), request.tokens());
            float[] logits = request.logits() ? new float[n * c.numLabels()] : null;
            float[] hidden = request.hidden() ? new float[Math.multiplyExact(n, c.tokens() * c.hidden())] : null;
            VitModel model = new VitModel(c);
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch"); GradMode off = GradMode.off()) {
                Params p = Params.of(m, declared(c, weights), false);
                for (int from = 0; from < n; from += request.batchSize()) {
                    int to = Math.min(n, from + request.batchSize());
                    try (NDScope scope = new NDScope()) {
                        NDList in = ImageBatches.slice(m, images, from, to);
                        NDArray h = model.hidden(p, in, taps);
                        if (hidden != null) {
                            float[] v = h.toFloatArray();
                            System.arraycopy(v, 0, hidden, from * c.tokens() * c.hidden(), v.length);
                        }
                        if (logits != null) {
                            float[] v = model.head(p, h).toFloatArray();
                            System.arraycopy(v, 0, logits, from * c.numLabels(), v.length);
                        }
                    }
                }
            }
            return new ForwardResult(
                    logits == null ? null : Tensor.ofFloats(new long[] {n, c.numLabels()}, logits),
                    hidden == null ? null : Tensor.ofFloats(new long[] {n, c.tokens(), c.hidden()}, hidden),
                    taps.tensors());
        });
    }

    @Override
    public TrainResult train(TrainRequest request, ProgressListener progress) {
        return train(request, progress, null);
    }

    /**
     * {@link #train(TrainRequest, ProgressListener)} with a callback after every optimizer step
     * (the throughput benchmark times steps with it).
     */
    public TrainResult train(TrainRequest request, ProgressListener progress, java.util.function.LongConsumer afterStep) {
        VitConfig c = VitConfig.of(request.config());
        ImageBatches train = ImageBatches.of(request.train(), c);
        ImageBatches test = request.test() == null ? null : ImageBatches.of(request.test(), c);
        Map<String, Tensor> start;
        Map<String, Tensor> extras = new LinkedHashMap<>();
        if (request.init() != null) {
            validate(c, request.init());
            start = declared(c, request.init());
            request.init().forEach((k, v) -> {
                if (!start.containsKey(k)) {
                    extras.put(k, v);
                }
            });
        } else {
            start = VitInit.weights(c, request.options().seed());
        }
        if (request.sharedLayers() == null && request.distillation() == null) {
            return djl.call(() -> Trainer.train(new TrainingRun(request.config(), start, extras, new VitModel(c), train,
                    test, request.options(), progress, afterStep)));
        }
        Map<String, String> shared = request.sharedLayers() == null ? Map.of()
                : Params.sharedLayers(VitGraph.of(c), request.sharedLayers());
        Distillation d = request.distillation();
        VitConfig tc = d == null ? null : teacherConfig(c, d);
        return djl.call(() -> {
            try (NDManager tm = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                Objective objective = d == null ? Objective.classification(new VitModel(c), train, test, "img")
                        : new DistillationObjective(new VitModel(c), new VitModel(tc),
                                Params.of(tm, declared(tc, d.weights()), false), train, test, "img", d.alpha(), d.tau(),
                                d.hard());
                return Trainer.train(new ObjectiveRun(request.config(), start, extras, objective, request.options(),
                        progress, afterStep, shared));
            }
        });
    }

    /** The teacher's config, checked to be a valid ViT over the student's inputs and labels. */
    private VitConfig teacherConfig(VitConfig student, Distillation d) {
        VitConfig t = VitConfig.of(d.teacher());
        validate(t, d.weights());
        if (t.numLabels() != student.numLabels()) {
            throw new TransfuseException("the teacher has " + t.numLabels() + " labels and the student "
                    + student.numLabels() + "; distillation needs the same label set");
        }
        ImageBatches.checkShape("the teacher's images", new long[] {student.channels(), student.imageSize(),
                student.imageSize()}, t);
        return t;
    }

    @Override
    public Evaluation evaluate(ModelConfig config, Map<String, Tensor> weights, Dataset data, int batchSize,
                               ProgressListener progress) {
        VitConfig c = VitConfig.of(config);
        validate(c, weights);
        ImageBatches batches = ImageBatches.of(data, c);
        return djl.call(() -> {
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                Params p = Params.of(m, declared(c, weights), false);
                return Evaluator.evaluate(p, new VitModel(c), batches, batchSize, progress);
            }
        });
    }

    /** The tensors the model computes with, in declaration order (extras are left out). */
    private static Map<String, Tensor> declared(VitConfig c, Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec spec : VitGraph.of(c).tensors()) {
            out.put(spec.name(), weights.get(spec.name()));
        }
        return out;
    }

}
