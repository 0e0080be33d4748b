package transfuse.io.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
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
