package transfuse.io.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.internal.IoFailures;
import transfuse.io.safetensors.SafetensorsEntry;
import transfuse.io.safetensors.SafetensorsReader;
import transfuse.io.safetensors.SafetensorsWriter;
import transfuse.io.safetensors.TensorSource;

/**
 * A model directory in HF layout: {@code config.json}, {@code model.safetensors} and, for text
 * models, {@code tokenizer.json}. Opening reads the config and the weights' header; tensors are
 * mapped when asked for through {@link #weights()}.
 */
public final class ModelDir implements AutoCloseable {
    public static final String CONFIG = ConfigJson.FILE_NAME;
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";

    private final Path dir;
    private final ModelConfig config;
    private final SafetensorsReader weights;

    private ModelDir(Path dir, ModelConfig config, SafetensorsReader weights) {
        this.dir = dir;
        this.config = config;
        this.weights = weights;
    }

    /** Whether the path is a directory holding a config.json (what {@link #open} needs first). */
    public static boolean isModelDir(Path path) {
        return Files.isDirectory(path) && Files.isRegularFile(path.resolve(CONFIG));
    }

    /** @throws TransfuseException one line naming the directory or file that is missing or malformed */
    public static ModelDir open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new TransfuseException(dir + ": not a model directory (no such directory)");
        }
        for (String required : List.of(CONFIG, WEIGHTS)) {
            if (!Files.exists(dir.resolve(required))) {
                throw new TransfuseException(dir + ": not a model directory (no " + required + ")");
            }
        }
        ModelConfig config = ConfigJson.read(dir.resolve(CONFIG));
        return new ModelDir(dir, config, SafetensorsReader.open(dir.resolve(WEIGHTS)));
    }

    /**
     * Writes a model directory for the Python ecosystem, creating it if needed: the weights first,
     * then the config, each replaced atomically. Tensors are stored in
     * {@linkplain SafetensorsWriter#alignedOrder aligned order} (the given order when they share an
     * element size), so PyTorch can view each one in place. The weights' metadata gets
     * {@code "format": "pt"} unless given, as {@code transformers} refuses metadata without it.
     */
    public static void write(Path dir, ModelConfig config, List<TensorSource> tensors, Map<String, String> metadata) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw IoFailures.of(dir, e);
        }
        Map<String, String> withFormat = new LinkedHashMap<>();
        withFormat.put("format", "pt");
        withFormat.putAll(metadata);
        SafetensorsWriter.write(dir.resolve(WEIGHTS), SafetensorsWriter.alignedOrder(tensors), withFormat);
        ConfigJson.write(dir.resolve(CONFIG), config);
    }

    /**
     * What {@link #save} may replace in an existing directory: a saved model's files, and a
     * fused model's report. Anything else there makes it refuse, so a mistyped output path never
     * wipes unrelated data.
     */
    public static final Set<String> MODEL_FILES = Set.of(CONFIG, WEIGHTS, TOKENIZER, "fusion.json");
    /** A training run's checkpoint folder inside its output, kept when the model is saved over it. */
    public static final String CHECKPOINT = "checkpoint";

    /**
     * Saves a whole model directory atomically: config, weights with their metadata, and extra
     * files such as {@code tokenizer.json} appear together or not at all (a failure or a cancelled
     * job leaves the target as it was). A {@link #CHECKPOINT} folder in an existing target is kept.
     *
     * @param files extra files by name, written beside config and weights
     * @throws TransfuseException naming the directory when it holds other files or cannot be written
     */
    public static void save(Path dir, ModelConfig config, List<TensorSource> tensors, Map<String, String> metadata,
                            Map<String, byte[]> files) {
        AtomicDirectory.write(dir, MODEL_FILES, Set.of(CHECKPOINT), tmp -> {
            write(tmp, config, tensors, metadata);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(tmp.resolve(f.getKey()), f.getValue());
            }
        });
    }

    /** Checks before any work that {@link #save} could write {@code dir}. */
    public static void checkSavable(Path dir) {
        AtomicDirectory.checkReplaceable(dir, MODEL_FILES, Set.of(CHECKPOINT));
    }

    /**
     * Every tensor of a model directory, copied to the heap so it outlives the open file (small
     * models: training, evaluation, barriers). The one way weights are loaded whole.
     *
     * @throws TransfuseException when the directory or its weights are missing or malformed
     */
    public static Map<String, Tensor> loadWeights(Path dir) {
        try (ModelDir d = open(dir)) {
            return d.loadWeights();
        }
    }

    /** This directory's tensors copied to the heap, in file order. */
    public Map<String, Tensor> loadWeights() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (SafetensorsEntry e : tensors()) {
            Tensor t = weights.tensor(e.name());
            ByteBuffer heap = ByteBuffer.allocate(Math.toIntExact(t.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
            heap.put(t.data()).flip();
            out.put(e.name(), new Tensor(t.dtype(), t.shape(), heap));
        }
        return out;
    }

    public Path dir() {
        return dir;
    }

    public ModelConfig config() {
        return config;
    }

    /** The open weights file; closed with this directory. */
    public SafetensorsReader weights() {
        return weights;
    }

    /** The tokenizer file, if the directory has one. */
    public Optional<Path> tokenizer() {
        Path t = dir.resolve(TOKENIZER);
        return Files.isRegularFile(t) ? Optional.of(t) : Optional.empty();
    }

    /** Every tensor in file order. */
    public List<SafetensorsEntry> tensors() {
        return weights.entries();
    }

    public ModelSummary summary() {
        return ModelSummary.of(config, weights.entries());
    }

    @Override
    public void close() {
        weights.close();
    }
}
