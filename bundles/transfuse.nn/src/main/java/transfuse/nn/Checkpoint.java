package transfuse.nn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.safetensors.SafetensorsEntry;
import transfuse.io.safetensors.SafetensorsReader;
import transfuse.io.safetensors.SafetensorsWriter;

/**
 * A training checkpoint: a complete model directory (so {@code eval} can read it) plus
 * {@code optimizer.safetensors} holding AdamW's moments. Both carry the epoch and step in their
 * metadata, and the folder is replaced as a whole ({@link #write}).
 */
public record Checkpoint(ModelConfig config, Map<String, Tensor> weights, Map<String, Tensor> optimizer,
                         int epoch, long steps) {
    public static final String OPTIMIZER = "optimizer.safetensors";

    /** What a checkpoint folder holds, and so what writing one may replace. */
    private static final java.util.Set<String> FILES = java.util.Set.of(OPTIMIZER, ModelDir.CONFIG, ModelDir.WEIGHTS);

    /**
     * Writes the checkpoint as a whole folder, swapped in by renames: a process killed at any point
     * leaves the previous checkpoint, this one, or (killed between the two renames) none, never an
     * optimizer state of one epoch beside the weights of another.
     */
    public void write(Path dir) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epoch", Integer.toString(epoch));
        meta.put("steps", Long.toString(steps));
        AtomicDirectory.write(dir, FILES, java.util.Set.of(), tmp -> {
            SafetensorsWriter.write(tmp.resolve(OPTIMIZER), optimizer, meta);
            ModelDir.write(tmp, config, weights.entrySet().stream()
                    .map(e -> transfuse.io.safetensors.TensorSource.of(e.getKey(), e.getValue())).toList(), meta);
        });
    }

    /** The checkpoint in {@code dir}, or empty when the directory holds none. */
    public static Optional<Checkpoint> read(Path dir) {
        if (!Files.isRegularFile(dir.resolve(OPTIMIZER)) || !ModelDir.isModelDir(dir)) {
            return Optional.empty();
        }
        try (ModelDir model = ModelDir.open(dir); SafetensorsReader opt = SafetensorsReader.open(dir.resolve(OPTIMIZER))) {
            String modelEpoch = model.weights().metadata().get("epoch");
            String optEpoch = opt.metadata().get("epoch");
            if (modelEpoch == null || !modelEpoch.equals(optEpoch)) {
                throw new TransfuseException(dir + ": checkpoint is inconsistent (model epoch " + modelEpoch
                        + ", optimizer epoch " + optEpoch + "); delete it to start afresh");
            }
            return Optional.of(new Checkpoint(model.config(), copy(model.weights()), copy(opt),
                    Integer.parseInt(modelEpoch), Long.parseLong(opt.metadata().getOrDefault("steps", "0"))));
        }
    }

    /** Heap copies: the reader's mapped buffers die with it. */
    private static Map<String, Tensor> copy(SafetensorsReader reader) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (SafetensorsEntry e : reader.entries()) {
            Tensor t = reader.tensor(e.name());
            java.nio.ByteBuffer heap = java.nio.ByteBuffer.allocate((int) t.byteSize());
            heap.put(t.data());
            heap.flip();
            out.put(e.name(), new Tensor(t.dtype(), t.shape(), heap));
        }
        return out;
    }
}
