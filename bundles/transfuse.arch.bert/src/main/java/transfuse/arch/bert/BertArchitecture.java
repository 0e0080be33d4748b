package transfuse.arch.bert;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Distillation;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.ImportedModel;
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
import transfuse.arch.bert.onnx.BertOnnxImport;
import transfuse.arch.common.DeclaredTensors;
import transfuse.djl.DjlRuntime;
import transfuse.nn.DistillationObjective;
import transfuse.nn.Evaluator;
import transfuse.nn.GradMode;
import transfuse.nn.NdTensors;
import transfuse.nn.Objective;
import transfuse.nn.ObjectiveRun;
import transfuse.nn.Params;
import transfuse.nn.TapRecorder;
import transfuse.nn.TokenTapCollector;
import transfuse.nn.Trainer;
import transfuse.nn.text.TextTokenizer;
import transfuse.nn.text.TokenizerSource;

/**
 * The {@code bert} architecture: HF {@code BertModel}, {@code BertForMaskedLM} and
 * {@code BertForSequenceClassification} (post-LN, exact GELU, absolute positions). Inputs are
 * token ids from the model's {@code tokenizer.json} (DJL HF tokenizers); training does masked
 * language modelling on unlabelled text and sentence classification on labelled text.
 */
@Component(service = Architecture.class, property = "transfuse.name=bert")
public final class BertArchitecture implements Architecture {
    public static final String NAME = "bert";

    private final DjlRuntime djl;

    /** @param djl the DJL runtime (it loads the engine at the first call); every DJL call runs through it */
    @Activate
    public BertArchitecture(@Reference DjlRuntime djl) {
        this.djl = djl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "BERT (HF BertModel/BertForMaskedLM/BertForSequenceClassification, post-LN, exact GELU) on DJL PyTorch;"
                + " ONNX import";
    }

    @Override
    public ModelGraph graph(ModelConfig config) {
        return BertGraph.of(BertConfig.of(config));
    }

    @Override
    public List<HeadGroup> headGroups(ModelConfig config) {
        return BertGraph.headGroups(BertConfig.of(config));
    }

    @Override
    public ModelConfig defaultConfig(Dataset data) {
        return BertRecipe.config(data);
    }

    @Override
    public TrainOptions defaultOptions() {
        return BertRecipe.options();
    }

    @Override
    public void validate(ModelConfig config, Map<String, Tensor> weights) {
        BertWeights.validate(BertConfig.of(config), BertWeights.canonical(weights));
    }

    @Override
    public Map<String, Tensor> initialize(ModelConfig config, long seed) {
        return BertInit.weights(BertConfig.of(config), seed);
    }

    @Override
    public ModelConfig finetuneConfig(ModelConfig base, Dataset data) {
        BertConfig.of(base);
        if (data.modality() != Modality.TEXT) {
            throw new TransfuseException(data.name() + " holds images; the bert architecture needs texts");
        }
        Map<String, Object> f = new LinkedHashMap<>(base.fields());
        for (String k : List.of("id2label", "label2id", "num_labels")) {
            f.remove(k);
        }
        if (data.numClasses() > 0) {
            f.put("architectures", List.of(BertTask.CLASSIFICATION.hfClass));
            BertConfig.putLabels(f, data.classNames());
        } else {
            f.put("architectures", List.of(BertTask.MASKED_LM.hfClass));
        }
        return new ModelConfig(f, base.source());
    }

    /** What the tokenizer keeps of a text: the position table, capped by the recipe's length. */
    @Override
    public int maxTokens(ModelConfig config) {
        return Math.min(BertConfig.of(config).maxPositions(), BertRecipe.MAX_TOKENS);
    }

    @Override
    public Map<String, byte[]> modelFiles(ModelConfig config) {
        return Map.of(TokenizerSource.TOKENIZER_FILE, BertTokenizers.of(config, BertConfig.of(config)).json());
    }

    @Override
    public ImportedModel importOnnx(Path onnx, Path tokenizer, ProgressListener progress) {
        ImportedModel m = BertOnnxImport.read(onnx, progress);
        BertConfig c = BertConfig.of(m.config());
        BertWeights.validate(c, m.weights());
        if (tokenizer == null) {
            return m;
        }
        byte[] json;
        try {
            json = java.nio.file.Files.readAllBytes(tokenizer);
        } catch (java.io.IOException e) {
            throw new TransfuseException(tokenizer + ": unreadable tokenizer (" + e.getMessage() + ")", e);
        }
        // Load it once: an unreadable or too large tokenizer fails the import, not a later run.
        djl.call(() -> {
            try (TextTokenizer t = BertTokenizers.load(json, tokenizer.toString(), BertRecipe.MAX_TOKENS)) {
                BertTokenizers.encode(t, List.of("a"), c.vocabSize());
            }
            return null;
        });
        Map<String, byte[]> files = new LinkedHashMap<>(m.files());
        files.put(TokenizerSource.TOKENIZER_FILE, json);
        return new ImportedModel(m.config(), m.weights(), files, m.notes());
    }

    @Override
    public Map<String, Tensor> inputs(ModelConfig config, Dataset data, int from, int to) {
        BertConfig c = BertConfig.of(config);
        requireText(data);
        TokenizedTexts texts = tokenize(config, c, data.texts(from, to));
        return texts.tensors(0, texts.size());
    }

    private static void requireText(Dataset data) {
        if (data.modality() != Modality.TEXT) {
            throw new TransfuseException(data.name() + " holds images; the bert architecture needs texts");
        }
    }

    private TokenizedTexts tokenize(ModelConfig config, BertConfig c, List<String> texts) {
        TokenizerSource s = BertTokenizers.of(config, c);
        return djl.call(() -> {
            try (TextTokenizer t = BertTokenizers.load(s.json(), s.name(), Math.min(c.maxPositions(), BertRecipe.MAX_TOKENS))) {
                return BertTokenizers.encode(t, texts, c.vocabSize());
            }
        });
    }

    private MlmMasking masking(ModelConfig config, BertConfig c) {
        TokenizerSource s = BertTokenizers.of(config, c);
        return djl.call(() -> {
            try (TextTokenizer t = BertTokenizers.load(s.json(), s.name(), BertRecipe.MAX_TOKENS)) {
                return new MlmMasking(t.tokenId(BertTokenizers.MASK), t.vocabSize(), specialIds(s));
            }
        });
    }

    /** Ids of the tokenizer's special added tokens ([PAD], [UNK], [CLS], [SEP], [MASK]). */
    private static Set<Long> specialIds(TokenizerSource s) {
        Set<Long> ids = new HashSet<>();
        Object added = transfuse.io.config.ConfigJson.parse(s.json(), s.name()).fields().get("added_tokens");
        if (added instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("special")) && m.get("id") instanceof Number n) {
                    ids.add(n.longValue());
                }
            }
        }
        return ids;
    }

    @Override
    public List<String> fileInputs() {
        return List.of(BertInputs.INPUT_IDS, BertInputs.ATTENTION_MASK);
    }

    @Override
    public ForwardResult forward(ModelConfig config, Map<String, Tensor> weights, ForwardRequest request) {
        BertConfig c = BertConfig.of(config);
        Map<String, Tensor> w = BertWeights.canonical(weights);
        BertWeights.validate(c, w);
        BertInputs in = BertInputs.of(c, request.inputs());
        if (request.logits() && c.task() == BertTask.ENCODER) {
            throw new TransfuseException("this bert model has no head (architectures BertModel): ask for the hidden state");
        }
        Set<String> known = new HashSet<>();
        for (Tap tap : BertGraph.of(c).taps()) {
            known.add(tap.name());
        }
        for (String tap : request.taps()) {
            if (!known.contains(tap)) {
                throw new TransfuseException("unknown tap '" + tap + "' for this bert model");
            }
        }
        int n = in.n(), t = in.t(), d = c.hidden();
        int perLogits = c.task() == BertTask.MASKED_LM ? t * c.vocabSize() : c.numLabels();
        return djl.call(() -> {
            TokenTapCollector taps = new TokenTapCollector(request.taps(), request.tokens());
            float[] logits = request.logits() ? new float[Math.multiplyExact(n, perLogits)] : null;
            float[] hidden = request.hidden() ? new float[Math.multiplyExact(n, t * d)] : null;
            BertModel model = new BertModel(c);
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch"); GradMode off = GradMode.off()) {
                Params p = Params.of(m, BertWeights.declared(c, w), false);
                for (int from = 0; from < n; from += request.batchSize()) {
                    int to = Math.min(n, from + request.batchSize());
                    taps.batch(lengths(in, from, to));
                    try (NDScope scope = new NDScope()) {
                        NDArray h = hidden(model, p, m, in, from, to, taps);
                        if (hidden != null) {
                            float[] v = h.toFloatArray();
                            System.arraycopy(v, 0, hidden, from * t * d, v.length);
                        }
                        if (logits != null) {
                            NDArray out = c.task() == BertTask.MASKED_LM ? model.mlm(p, h, taps) : model.classify(p, h, taps);
                            float[] v = out.toFloatArray();
                            System.arraycopy(v, 0, logits, from * perLogits, v.length);
                        } else if (c.task() == BertTask.CLASSIFICATION && taps.wants(BertGraph.POOLER)) {
                            model.classify(p, h, taps);
                        } else if (c.task() == BertTask.MASKED_LM && taps.wants(BertGraph.MLM_TRANSFORM)) {
                            model.mlm(p, h, taps);
                        }
                    }
                }
            }
            long[] logitShape = c.task() == BertTask.MASKED_LM ? new long[] {n, t, c.vocabSize()} : new long[] {n, c.numLabels()};
            return new ForwardResult(logits == null ? null : Tensor.ofFloats(logitShape, logits),
                    hidden == null ? null : Tensor.ofFloats(new long[] {n, t, d}, hidden), taps.tensors());
        });
    }

    private static NDArray hidden(BertModel model, Params p, NDManager m, BertInputs in, int from, int to,
                                  TapRecorder taps) {
        int t = in.t(), rows = to - from;
        long[] ids = java.util.Arrays.copyOfRange(in.ids(), from * t, to * t);
        float[] mask = java.util.Arrays.copyOfRange(in.mask(), from * t, to * t);
        NDArray idsNd = NdTensors.fromLongs(m, ids, new Shape(rows, t));
        NDArray maskNd = NdTensors.fromFloats(m, mask, new Shape(rows, t));
        NDArray types = in.types() == null ? null
                : NdTensors.fromLongs(m, java.util.Arrays.copyOfRange(in.types(), from * t, to * t), new Shape(rows, t));
        return model.hidden(p, idsNd, maskNd, types, taps);
    }

    /** Unpadded length of each sample: one past its last unmasked position. */
    private static int[] lengths(BertInputs in, int from, int to) {
        int[] out = new int[to - from];
        for (int b = from; b < to; b++) {
            int len = 0;
            for (int j = 0; j < in.t(); j++) {
                if (in.mask()[b * in.t() + j] != 0) {
                    len = j + 1;
                }
            }
            out[b - from] = len;
        }
        return out;
    }

    @Override
    public TrainResult train(TrainRequest request, ProgressListener progress) {
        ModelConfig config = request.config();
        BertConfig c = BertConfig.of(config);
        Distillation d = request.distillation();
        BertConfig tc = d == null ? null : teacherConfig(c, d);
        Map<String, String> shared = request.sharedLayers() == null ? Map.of()
                : Params.sharedLayers(BertGraph.of(c), request.sharedLayers());
        requireText(request.train());
        if (request.train().size() == 0) {
            throw new TransfuseException(request.train().name() + " (" + request.train().split().label()
                    + ") holds no examples");
        }
        Map<String, Tensor> start;
        Map<String, Tensor> extras = new LinkedHashMap<>();
        if (request.init() != null) {
            Map<String, Tensor> init = BertWeights.canonical(request.init());
            start = withFreshHead(c, init, request.options().seed());
            extras.putAll(BertWeights.extras(c, init));
        } else {
            start = BertInit.weights(c, request.options().seed());
        }
        BertModel model = new BertModel(c);
        Function<MaskedLmObjective.Teacher, Objective> objective = switch (c.task()) {
            case MASKED_LM -> {
                TokenizedTexts train = tokenizeAll(config, c, request.train());
                TokenizedTexts test = request.test() == null ? null : tokenizeAll(config, c, request.test());
                MlmMasking masking = masking(config, c);
                yield t -> new MaskedLmObjective(model, masking, train, test, request.options().seed(), t);
            }
            case CLASSIFICATION -> {
                SentenceBatches train = sentences(config, c, request.train());
                SentenceBatches test = request.test() == null ? null : sentences(config, c, request.test());
                yield t -> t == null ? Objective.classification(model, train, test, "seq")
                        : new DistillationObjective(model, t.model(), t.params(), train, test, "seq", t.alpha(),
                                t.tau(), t.hard());
            }
            case ENCODER -> throw new TransfuseException(config.source() + ": a BertModel config has no head to train;"
                    + " use architectures BertForMaskedLM or BertForSequenceClassification");
        };
        Map<String, Tensor> weights = start;
        return djl.call(() -> {
            try (NDManager tm = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                MaskedLmObjective.Teacher teacher = d == null ? null : new MaskedLmObjective.Teacher(new BertModel(tc),
                        Params.of(tm, BertWeights.declared(tc, BertWeights.canonical(d.weights())), false), d.alpha(),
                        d.tau(), d.hard());
                return Trainer.train(new ObjectiveRun(config, weights, extras, objective.apply(teacher),
                        request.options(), progress, null, shared));
            }
        });
    }

    /** The teacher's config, checked to be a valid BERT of the student's task over its tokens or labels. */
    private static BertConfig teacherConfig(BertConfig student, Distillation d) {
        BertConfig t = BertConfig.of(d.teacher());
        BertWeights.validate(t, BertWeights.canonical(d.weights()));
        if (t.task() != student.task() || t.vocabSize() != student.vocabSize()
                || (t.task() == BertTask.CLASSIFICATION && t.numLabels() != student.numLabels())) {
            throw new TransfuseException("the teacher (" + t.task() + ", vocabulary " + t.vocabSize() + ", "
                    + t.numLabels() + " labels) does not fit the student (" + student.task() + ", vocabulary "
                    + student.vocabSize() + ", " + student.numLabels() + " labels); distillation needs the same"
                    + " task, vocabulary and label set");
        }
        return t;
    }

    /**
     * The declared tensors from the init weights, with the head tensors they lack (a classifier
     * on a masked-LM body, a pooler on an imported encoder) drawn fresh from the seed.
     */
    private static Map<String, Tensor> withFreshHead(BertConfig c, Map<String, Tensor> init, long seed) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> fresh = new ArrayList<>();
        for (TensorSpec spec : BertGraph.of(c).tensors()) {
            Tensor t = init.get(spec.name());
            boolean head = !spec.name().startsWith(BertNames.PREFIX) || spec.name().startsWith(BertNames.POOLER);
            if (t == null && head) {
                t = BertInit.tensor(c, spec, seed);
                fresh.add(spec.name());
            }
            DeclaredTensors.check(spec, t);
            out.put(spec.name(), t);
        }
        return out;
    }

    private TokenizedTexts tokenizeAll(ModelConfig config, BertConfig c, Dataset data) {
        requireText(data);
        if (data.size() == 0) {
            throw new TransfuseException(data.name() + " (" + data.split().label() + ") holds no examples");
        }
        return tokenize(config, c, data.texts(0, data.size()));
    }

    private SentenceBatches sentences(ModelConfig config, BertConfig c, Dataset data) {
        TokenizedTexts texts = tokenizeAll(config, c, data);
        if (data.numClasses() == 0) {
            throw new TransfuseException(data.name() + " is unlabelled; a sentence classifier needs labels");
        }
        if (data.numClasses() > c.numLabels()) {
            throw new TransfuseException(data.name() + " has " + data.numClasses() + " classes but the model has "
                    + c.numLabels() + " labels (id2label)");
        }
        return new SentenceBatches(texts, data.labels(0, data.size()));
    }

    @Override
    public Evaluation evaluate(ModelConfig config, Map<String, Tensor> weights, Dataset data, int batchSize,
                               ProgressListener progress) {
        BertConfig c = BertConfig.of(config);
        Map<String, Tensor> w = BertWeights.canonical(weights);
        BertWeights.validate(c, w);
        BertModel model = new BertModel(c);
        return switch (c.task()) {
            case MASKED_LM -> {
                TokenizedTexts texts = tokenizeAll(config, c, data);
                MlmMasking masking = masking(config, c);
                yield djl.call(() -> {
                    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                        Params p = Params.of(m, BertWeights.declared(c, w), false);
                        return new MaskedLmObjective(model, masking, texts, null, 0).evaluate(p, texts, progress);
                    }
                });
            }
            case CLASSIFICATION -> {
                SentenceBatches batches = sentences(config, c, data);
                yield djl.call(() -> {
                    try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                        Params p = Params.of(m, BertWeights.declared(c, w), false);
                        return Evaluator.evaluate(p, model, batches, batchSize, progress);
                    }
                });
            }
            case ENCODER -> throw new TransfuseException(config.source() + ": a BertModel config has no head to evaluate;"
                    + " fine-tune it first (train --init), or measure its encoder with a linear probe (eval --probe)");
        };
    }
}
