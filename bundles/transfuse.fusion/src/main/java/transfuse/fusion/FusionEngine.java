package transfuse.fusion;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import transfuse.api.model.ModelConfig;
import transfuse.api.model.TensorSpec;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.safetensors.SafetensorsEntry;
import transfuse.io.safetensors.TensorSource;

/**
 * Fuses N models of one architecture into the anchor's shape (the first model): every other
 * model is aligned to the anchor space by space, then all are averaged with weights alpha.
 * Tensors are read one at a time from memory-mapped files and written as they are produced, so
 * the memory held is about one layer's tensors and maps, whatever the model size.
 */
public final class FusionEngine {
    /** Key of the fusion record in the output's config.json (HF loaders ignore unknown keys). */
    public static final String CONFIG_KEY = "transfuse_fusion";
    /** The report written next to the model, with the timings that config.json leaves out. */
    public static final String REPORT = "fusion.json";
    /** What an existing output may hold to be replaced: a fused model's files (tokenizer included). */
    private static final Set<String> OUTPUT_FILES = ModelDir.MODEL_FILES;

    private final FusionServices services;

    public FusionEngine(FusionServices services) {
        this.services = services;
    }

    /**
     * Fuses the models into {@code out}, which appears complete or not at all.
     *
     * @throws transfuse.api.TransfuseException for unreadable or incompatible models, non-finite
     *         weights, bad options or data; nothing is left at {@code out} then
     */
    public FusionResult fuse(List<Path> models, FusionOptions options, Path out, ProgressListener progress) {
        return fuse(models, options, out, progress, null);
    }

    /** A fusion of two models and, from the same alignment, model 2 aligned to the anchor (as {@link #alignToAnchor}). */
    public record FusedPair(FusionResult result, Map<String, Tensor> aligned) {
    }

    /** Fuses two models into {@code out} and keeps B aligned to A, which the loss barrier interpolates towards. */
    public FusedPair fuseAndAlign(Path anchor, Path other, FusionOptions options, Path out, ProgressListener progress) {
        Map<String, Tensor> aligned = new LinkedHashMap<>();
        FusionResult r = fuse(List.of(anchor, other), options, out, progress, aligned);
        return new FusedPair(r, aligned);
    }

    private FusionResult fuse(List<Path> models, FusionOptions options, Path out, ProgressListener progress,
                              Map<String, Tensor> aligned) {
        long start = System.nanoTime();
        FusionResult[] result = new FusionResult[1];
        try (FusionSession s = new FusionSession(services, models, options, progress)) {
            if (aligned != null) {
                s.tensors.onAligned((name, v) -> aligned.put(name, Tensor.ofFloats(s.graphs.get(0).tensor(name).shape(),
                        toFloats(v))));
            }
            AtomicDirectory.write(out, OUTPUT_FILES, Set.of(), dir -> {
                ModelDir anchor = s.dirs.get(0);
                List<TensorSource> sources = new ArrayList<>();
                List<TensorSpec> order = s.tensors.order();
                Set<String> declared = new java.util.HashSet<>();
                int[] written = {0};
                for (TensorSpec spec : order) {
                    declared.add(spec.name());
                    DType type = anchor.weights().entry(spec.name()).dtype() == DType.F64 ? DType.F64 : DType.F32;
                    sources.add(new TensorSource(spec.name(), type, spec.shape(), ch -> {
                        writeValues(ch, s.tensors.fused(spec.name()), type);
                        progress.progress("fuse tensors", ++written[0], order.size(), spec.name());
                    }));
                }
                for (SafetensorsEntry e : anchor.tensors()) {
                    if (!declared.contains(e.name())) {
                        sources.add(TensorSource.copyOf(anchor.weights(), e.name()));
                    }
                }
                Map<String, String> metadata = new LinkedHashMap<>();
                metadata.put("transfuse.fusion", json(options.toMap()));
                ModelDir.write(dir, anchor.config(), sources, metadata);
                // What the model needs besides its weights (a text model's tokenizer.json) is the
                // anchor's: without it a fused imported BERT could not read text.
                for (Map.Entry<String, byte[]> f : s.arch.modelFiles(anchor.config()).entrySet()) {
                    Files.write(dir.resolve(f.getKey()), f.getValue());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                result[0] = new FusionResult(out, options, s.labels, s.stats(), s.layerMaps,
                        s.evidence == null ? 0 : s.evidence.samples(), s.evidenceSeconds, seconds);
                ModelConfig config = anchor.config().with(CONFIG_KEY, result[0].toJson(false));
                ConfigJson.write(dir.resolve(ModelDir.CONFIG), config);
                Files.write(dir.resolve(REPORT), ConfigJson.format(new ModelConfig(result[0].toJson(true), REPORT)));
            });
            if (aligned != null) {
                s.weights.get(0).tensors().forEach((name, t) -> aligned.putIfAbsent(name, copy(t)));
            }
        }
        return result[0];
    }

    /**
     * Model {@code other} aligned to the anchor (not averaged): its tensors in the anchor's neuron
     * order and shape, float32, with the anchor's extra tensors. The loss barrier interpolates
     * between the anchor and this.
     */
    public Map<String, Tensor> alignToAnchor(Path anchor, Path other, FusionOptions options, ProgressListener progress) {
        try (FusionSession s = new FusionSession(services, List.of(anchor, other), options, progress)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorSpec spec : s.tensors.order()) {
                double[] v = s.tensors.aligned(1, spec.name());
                s.tensors.done(spec.name());
                out.put(spec.name(), Tensor.ofFloats(spec.shape(), toFloats(v)));
            }
            s.weights.get(0).tensors().forEach((name, t) -> out.putIfAbsent(name, copy(t)));
            return out;
        }
    }

    /** The tensors of a model directory, copied into memory (small models: evaluation, barriers). */
    public static Map<String, Tensor> load(Path dir) {
        return ModelDir.loadWeights(dir);
    }

    static Tensor copy(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate((int) t.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(t.data()).flip();
        return new Tensor(t.dtype(), t.shape(), b);
    }

    static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static String json(Map<String, Object> map) {
        return new String(ConfigJson.format(new ModelConfig(map, "metadata")), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\\s*\\n\\s*", " ").trim();
    }

    /** Encodes in chunks so a large tensor needs no second full-size buffer. */
    private static void writeValues(WritableByteChannel ch, double[] v, DType type) throws IOException {
        int per = type.bytes();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) {
            if (buf.remaining() < per) {
                flush(ch, buf);
            }
            if (type == DType.F64) {
                buf.putDouble(x);
            } else {
                buf.putFloat((float) x);
            }
        }
        flush(ch, buf);
    }

    private static void flush(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
