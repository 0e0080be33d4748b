package transfuse.arch.llama;

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
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
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
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;
import transfuse.nn.GradMode;
import transfuse.nn.NdTensors;
import transfuse.nn.ObjectiveRun;
import transfuse.nn.Params;
import transfuse.nn.TokenTapCollector;
import transfuse.nn.Trainer;
import transfuse.nn.text.TokenizerSource;

/**
 * The {@code llama} architecture: HF {@code LlamaForCausalLM} (RMSNorm, rotary embeddings,
 * grouped-query attention, SwiGLU, no biases) on DJL PyTorch. Inputs are token ids from the
 * model's {@code tokenizer.json}; training is causal language modelling on unlabelled text.
 */
@Component(service = Architecture.class, property = "transfuse.name=llama")
public final class LlamaArchitecture implements Architecture {
    public static final String NAME = LlamaConfig.MODEL_TYPE;

    private final DjlRuntime djl;

    /** @param djl the DJL runtime (it loads the engine at the first call); every DJL call runs through it */
    @Activate
    public LlamaArchitecture(@Reference DjlRuntime djl) {
        this.djl = djl;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Llama decoder (HF LlamaForCausalLM: RMSNorm, rotary, grouped-query attention, SwiGLU) on DJL PyTorch;"
                + " causal LM";
    }

    @Override
    public ModelGraph graph(ModelConfig config) {
        return LlamaGraph.of(LlamaConfig.of(config));
    }

    @Override
    public List<HeadGroup> headGroups(ModelConfig config) {
        return LlamaGraph.headGroups(LlamaConfig.of(config));
    }

    @Override
    public ModelConfig defaultConfig(Dataset data) {
        return LlamaRecipe.config(data);
    }

    @Override
    public TrainOptions defaultOptions() {
        return LlamaRecipe.options();
    }

    @Override
    public void validate(ModelConfig config, Map<String, Tensor> weights) {
        LlamaWeights.validate(LlamaConfig.of(config), weights);
    }

    @Override
    public Map<String, Tensor> initialize(ModelConfig config, long seed) {
        return LlamaInit.weights(LlamaConfig.of(config), seed);
    }

    @Override
    public int maxTokens(ModelConfig config) {
        return Math.min(LlamaConfig.of(config).maxPositions(), LlamaRecipe.MAX_TOKENS);
    }

    @Override
    public Map<String, byte[]> modelFiles(ModelConfig config) {
        return Map.of(TokenizerSource.TOKENIZER_FILE, LlamaTokenizers.of(config, LlamaConfig.of(config)).json());
    }

    @Override
    public Map<String, Tensor> inputs(ModelConfig config, Dataset data, int from, int to) {
        LlamaConfig c = LlamaConfig.of(config);
        requireText(data);
        TokenizedTexts texts = tokenize(config, c, data.texts(from, to));
        return texts.tensors(0, texts.size());
    }

    @Override
    public List<String> fileInputs() {
        return List.of(LlamaInputs.INPUT_IDS, LlamaInputs.ATTENTION_MASK);
    }

    private static void requireText(Dataset data) {
        if (data.modality() != Modality.TEXT) {
            throw new TransfuseException(data.name() + " holds images; the llama architecture needs texts");
        }
    }

    private TokenizedTexts tokenize(ModelConfig config, LlamaConfig c, List<String> texts) {
        TokenizerSource s = LlamaTokenizers.of(config, c);
        int pad = config.getInt("pad_token_id", LlamaTokenizers.PAD_ID);
        return djl.call(() -> LlamaTokenizers.encode(s, maxTokens(config), texts, c.vocabSize(), pad));
    }

    private TokenizedTexts tokenizeAll(ModelConfig config, LlamaConfig c, Dataset data) {
        requireText(data);
        if (data.size() == 0) {
            throw new TransfuseException(data.name() + " (" + data.split().label() + ") holds no examples");
        }
        return tokenize(config, c, data.texts(0, data.size()));
    }

    @Override
    public ForwardResult forward(ModelConfig config, Map<String, Tensor> weights, ForwardRequest request) {
        LlamaConfig c = LlamaConfig.of(config);
        LlamaWeights.validate(c, weights);
        LlamaInputs in = LlamaInputs.of(c, request.inputs());
        Set<String> known = new HashSet<>();
        for (Tap tap : LlamaGraph.of(c).taps()) {
            known.add(tap.name());
        }
        for (String tap : request.taps()) {
            if (!known.contains(tap)) {
                throw new TransfuseException("unknown tap '" + tap + "' for this llama model");
            }
        }
        int n = in.n(), t = in.t(), d = c.hidden();
        int perLogits = Math.multiplyExact(t, c.vocabSize());
        return djl.call(() -> {
            TokenTapCollector taps = new TokenTapCollector(request.taps(), request.tokens());
            float[] logits = request.logits() ? new float[Math.multiplyExact(n, perLogits)] : null;
            float[] hidden = request.hidden() ? new float[Math.multiplyExact(n, t * d)] : null;
            LlamaModel model = new LlamaModel(c);
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch"); GradMode off = GradMode.off()) {
                Params p = Params.of(m, LlamaWeights.declared(c, weights), false);
                for (int from = 0; from < n; from += request.batchSize()) {
                    int to = Math.min(n, from + request.batchSize());
                    taps.batch(java.util.Arrays.copyOfRange(in.lengths(), from, to));
                    try (NDScope scope = new NDScope()) {
                        NDArray ids = NdTensors.fromLongs(m, java.util.Arrays.copyOfRange(in.ids(), from * t, to * t),
                                new Shape(to - from, t));
                        NDArray h = model.hidden(p, ids, java.util.Arrays.copyOfRange(in.mask(), from * t, to * t), taps);
                        if (hidden != null) {
                            float[] v = h.toFloatArray();
                            System.arraycopy(v, 0, hidden, from * t * d, v.length);
                        }
                        if (logits != null) {
                            float[] v = model.logits(p, h).toFloatArray();
                            System.arraycopy(v, 0, logits, from * perLogits, v.length);
                        }
                    }
                }
            }
            return new ForwardResult(
                    logits == null ? null : Tensor.ofFloats(new long[] {n, t, c.vocabSize()}, logits),
                    hidden == null ? null : Tensor.ofFloats(new long[] {n, t, d}, hidden),
                    taps.tensors());
        });
    }

    @Override
    public TrainResult train(TrainRequest request, ProgressListener progress) {
        ModelConfig config = request.config();
        LlamaConfig c = LlamaConfig.of(config);
        if (request.sharedLayers() != null || request.distillation() != null) {
            throw new TransfuseException("the llama architecture trains without shared layers or a teacher");
        }
        requireText(request.train());
        if (request.train().size() == 0) {
            throw new TransfuseException(request.train().name() + " (" + request.train().split().label()
                    + ") holds no examples");
        }
        Map<String, Tensor> start;
        Map<String, Tensor> extras = new LinkedHashMap<>();
        if (request.init() != null) {
            LlamaWeights.validate(c, request.init());
            start = LlamaWeights.declared(c, request.init());
            extras.putAll(LlamaWeights.extras(c, request.init()));
        } else {
            start = LlamaInit.weights(c, request.options().seed());
        }
        TokenizedTexts train = tokenizeAll(config, c, request.train());
        TokenizedTexts test = request.test() == null ? null : tokenizeAll(config, c, request.test());
        CausalLmObjective objective = new CausalLmObjective(new LlamaModel(c), train, test);
        return djl.call(() -> Trainer.train(new ObjectiveRun(config, start, extras, objective, request.options(),
                progress, null)));
    }

    @Override
    public Evaluation evaluate(ModelConfig config, Map<String, Tensor> weights, Dataset data, int batchSize,
                               ProgressListener progress) {
        LlamaConfig c = LlamaConfig.of(config);
        LlamaWeights.validate(c, weights);
        TokenizedTexts texts = tokenizeAll(config, c, data);
        return djl.call(() -> {
            try (NDManager m = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
                Params p = Params.of(m, LlamaWeights.declared(c, weights), false);
                return new CausalLmObjective(new LlamaModel(c), texts, null).evaluate(p, texts, progress);
            }
        });
    }
}
