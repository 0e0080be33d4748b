package transfuse.api.arch;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * One model family (ViT, BERT). Registered as a service whose {@link #name()} equals the HF
 * {@code model_type} it reads; the engine finds it by the {@code model_type} of a model's
 * {@code config.json}. Weights cross this interface as tensors keyed by HF names; every method
 * is deterministic for its inputs on one machine. Errors caused by the caller's input are
 * {@link transfuse.api.TransfuseException}s with a one-line message naming the tensor or field.
 */
@ConsumerType
public interface Architecture extends Plugin {
    /**
     * Declares the neuron spaces, tensor axes, taps and joins of the model a config describes.
     *
     * @throws transfuse.api.TransfuseException when the config is missing or has bad fields
     */
    ModelGraph graph(ModelConfig config);

    /** The headed spaces whose heads move together (attention q/k and v of each layer). */
    List<HeadGroup> headGroups(ModelConfig config);

    /**
     * The architecture's default recipe model fitted to a data set (image size, channels and
     * class names for ViT), with HF field names.
     *
     * @throws transfuse.api.TransfuseException when the data set's modality does not fit
     */
    ModelConfig defaultConfig(Dataset data);

    /** The default training recipe of this architecture (documented with its measured result). */
    TrainOptions defaultOptions();

    /**
     * Checks that the weights hold every tensor the config needs with the right shape; extra
     * tensors are allowed (and preserved by callers).
     *
     * @throws transfuse.api.TransfuseException naming the first missing or mis-shaped tensor with
     *         its expected and found shape
     */
    void validate(ModelConfig config, Map<String, Tensor> weights);

    /** Fresh float32 weights for the config, a pure function of (config, seed). */
    Map<String, Tensor> initialize(ModelConfig config, long seed);

    /**
     * Converts examples {@code [from, to)} of a data set to model inputs for {@link #forward}
     * (ViT: {@code pixel_values}; text models tokenize).
     *
     * @throws transfuse.api.TransfuseException when the data does not fit the config
     */
    Map<String, Tensor> inputs(ModelConfig config, Dataset data, int from, int to);

    /**
     * The input names under which {@link #forward} takes a batch given as files ({@code forward
     * --input X.npy [--mask M.npy]}): the main input first (ViT {@code pixel_values}, BERT
     * {@code input_ids}), then the mask where the architecture has one ({@code attention_mask}).
     * The default is none: such an architecture cannot be run on files.
     */
    default List<String> fileInputs() {
        return List.of();
    }

    /**
     * Runs the model in inference mode over all samples of the request, in batches.
     *
     * @throws transfuse.api.TransfuseException for invalid weights, inputs that do not fit the
     *         config (e.g. a wrong image size) or an unknown tap
     */
    ForwardResult forward(ModelConfig config, Map<String, Tensor> weights, ForwardRequest request);

    /**
     * Trains a classifier on a labelled data set, reporting loss, throughput and ETA through
     * {@code progress}, writing a checkpoint per epoch and resuming from one when asked.
     *
     * @throws transfuse.api.TransfuseException for an empty or unfitting data set, bad init
     *         weights, or an unreadable checkpoint
     */
    TrainResult train(TrainRequest request, ProgressListener progress);

    /**
     * Accuracy and mean cross-entropy of the model on a labelled data set.
     *
     * @throws transfuse.api.TransfuseException for an empty or unfitting data set or bad weights
     */
    Evaluation evaluate(ModelConfig config, Map<String, Tensor> weights, Dataset data, int batchSize,
                        ProgressListener progress);

    /**
     * The config of a model fine-tuned from {@code base} on a data set: the same body with the
     * head the data needs (BERT: a sequence classifier with the data's classes in place of an MLM
     * head). The default keeps {@code base} unchanged.
     *
     * @throws transfuse.api.TransfuseException when the data set cannot be learnt from this base
     */
    default ModelConfig finetuneConfig(ModelConfig base, Dataset data) {
        return base;
    }

    /**
     * The most token positions one sample of this config has (ViT: patches + CLS; a text model:
     * its tokenizer's limit), so a token window past it is refused before any work. Unbounded
     * by default.
     */
    default int maxTokens(ModelConfig config) {
        return Integer.MAX_VALUE;
    }

    /**
     * Files other than config and weights that a model directory of this config carries, by file
     * name (text models: {@code tokenizer.json}); commands that save a model write them beside it.
     * The default has none.
     */
    default Map<String, byte[]> modelFiles(ModelConfig config) {
        return Map.of();
    }

    /**
     * Converts an ONNX model of this family (with its tokenizer for text models, or null) into
     * HF-named weights. The default does not import.
     *
     * @throws transfuse.api.TransfuseException for an unreadable file or a graph this
     *         architecture does not recognise, naming the file and what did not match
     */
    default ImportedModel importOnnx(Path onnx, Path tokenizer, ProgressListener progress) {
        throw new transfuse.api.TransfuseException("the " + name() + " architecture cannot import ONNX models");
    }
}
