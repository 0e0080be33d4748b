package transfuse.init.sws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * A stage-wise weight-sharing learngene: a model directory whose {@code config.json} is the
 * Aux-Net's stage model (the ancestor's config with {@code num_hidden_layers = S}, layer s being
 * stage s's shared block) plus a {@value #FIELD} object recording how it was made; its weights hold
 * the S stage layers (layer indices 0..S-1) with the embeddings, final norm and head. See
 * docs/sws.md, "The learngene format".
 *
 * @param config   the stage model's config, {@value #FIELD} included
 * @param stages   the Aux-Net's stage lengths, e.g. {@code 3,3,4,3,3}
 * @param auxDepth the Aux-Net's depth (their sum)
 * @param ancestor the ancestor's path or name
 * @param alpha    the KD weight α of the distillation loss
 * @param tau      the KD temperature τ
 * @param kd       {@code soft} or {@code hard}
 * @param steps    training steps the learngene took
 * @param losses   the training losses it recorded
 */
public record Learngene(ModelConfig config, int[] stages, int auxDepth, String ancestor, double alpha, double tau,
                        String kd, long steps, List<Double> losses) {
    /** The config field holding the learngene's record. */
    public static final String FIELD = "transfuse_learngene";
    /** The distillation variants: KL to the teacher's distribution, or CE to its argmax. */
    public static final Set<String> KD_KINDS = Set.of("soft", "hard");

    /**
     * Checks the record against the config (its source names the file in messages) and sets
     * {@value #FIELD} in the config from it.
     *
     * @throws TransfuseException one line naming the file and field
     */
    public Learngene {
        String at = config.source() + ": " + FIELD + ".";
        stages = stages.clone();
        losses = List.copyOf(losses);
        if (stages.length == 0) {
            throw new TransfuseException(at + "stages: at least one stage is needed");
        }
        for (int n : stages) {
            if (n < 1) {
                throw new TransfuseException(at + "stages: every stage needs at least one layer, got "
                        + Arrays.toString(stages));
            }
        }
        if (Arrays.stream(stages).sum() != auxDepth) {
            throw new TransfuseException(at + "stages: " + Arrays.toString(stages) + " sum to "
                    + Arrays.stream(stages).sum() + ", not aux_depth " + auxDepth);
        }
        if (!config.has(LayerReindexing.DEPTH_FIELD)) {
            throw new TransfuseException(config.source() + ": " + LayerReindexing.DEPTH_FIELD
                    + " is missing; a learngene has one layer per stage");
        }
        if (config.getInt(LayerReindexing.DEPTH_FIELD) != stages.length) {
            throw new TransfuseException(config.source() + ": " + LayerReindexing.DEPTH_FIELD + " is "
                    + config.getInt(LayerReindexing.DEPTH_FIELD) + " but " + FIELD + ".stages has " + stages.length
                    + " stages; a learngene has one layer per stage");
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new TransfuseException(at + "alpha: " + alpha + " is outside [0, 1]");
        }
        if (!(tau > 0 && Double.isFinite(tau))) {
            throw new TransfuseException(at + "tau: " + tau + " must be a positive number");
        }
        if (!KD_KINDS.contains(kd)) {
            throw new TransfuseException(at + "kd: \"" + kd + "\" is not one of soft, hard");
        }
        if (steps < 0) {
            throw new TransfuseException(at + "steps: " + steps + " is negative");
        }
        config = config.with(FIELD, record(stages, auxDepth, ancestor, alpha, tau, kd, steps, losses));
    }

    @Override
    public int[] stages() {
        return stages.clone();
    }

    /** The Aux-Net's own layers source: stage s repeated {@code stages[s]} times. */
    public int[] stageSchedule() {
        return LayerSchedule.expand(stages);
    }

    /** The stage model's config without {@value #FIELD}: an ordinary config of depth S. */
    public ModelConfig stageModelConfig() {
        return withoutField(config);
    }

    /** A copy of the config without {@value #FIELD} (what a descendant's config starts from). */
    public static ModelConfig withoutField(ModelConfig config) {
        Map<String, Object> f = new LinkedHashMap<>(config.fields());
        f.remove(FIELD);
        return new ModelConfig(f, config.source());
    }

    /** Whether a config is a learngene's. */
    public static boolean isLearngene(ModelConfig config) {
        return config.has(FIELD);
    }

    /**
     * Reads and validates a learngene directory's config (the weights are read by whoever needs
     * them, e.g. {@link ModelDir#loadWeights}).
     *
     * @throws TransfuseException one line naming the file and field
     */
    public static Learngene read(Path dir) {
        return of(ConfigJson.read(dir.resolve(ModelDir.CONFIG)));
    }

    /**
     * The learngene a config describes.
     *
     * @throws TransfuseException naming the config's source and the field when it is not one
     */
    public static Learngene of(ModelConfig config) {
        String at = config.source() + ": " + FIELD;
        if (!(config.fields().get(FIELD) instanceof Map<?, ?> m)) {
            throw new TransfuseException(at + " is missing or not an object; this is not a learngene");
        }
        return new Learngene(config, intList(m, "stages", at), (int) whole(m, "aux_depth", at),
                m.get("ancestor") == null ? "" : m.get("ancestor").toString(), number(m, "alpha", at),
                number(m, "tau", at), m.get("kd") instanceof String s ? s : "" + m.get("kd"), whole(m, "steps", at),
                numbers(m, "losses", at));
    }

    /**
     * Writes the learngene as a model directory, atomically: its config and the stage model's
     * weights (checked against nothing here; the architecture validates them when grown).
     */
    public void write(Path dir, Map<String, Tensor> weights, Map<String, String> metadata) {
        List<TensorSource> sources = new ArrayList<>();
        weights.forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.save(dir, config, sources, metadata, Map.of());
    }

    private static Map<String, Object> record(int[] stages, int auxDepth, String ancestor, double alpha, double tau,
                                              String kd, long steps, List<Double> losses) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stages", Arrays.stream(stages).boxed().toList());
        m.put("aux_depth", auxDepth);
        m.put("ancestor", ancestor);
        m.put("alpha", alpha);
        m.put("tau", tau);
        m.put("kd", kd);
        m.put("steps", steps);
        m.put("losses", losses);
        return m;
    }

    private static int[] intList(Map<?, ?> m, String key, String at) {
        if (!(m.get(key) instanceof List<?> l)) {
            throw new TransfuseException(at + "." + key + " is missing or not a list");
        }
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(l.get(i) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())
                    || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
                throw new TransfuseException(at + "." + key + "[" + i + "]: " + l.get(i) + " is not a whole number");
            }
            out[i] = n.intValue();
        }
        return out;
    }

    private static long whole(Map<?, ?> m, String key, String at) {
        if (!(m.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new TransfuseException(at + "." + key + ": " + m.get(key) + " is not a whole number");
        }
        return n.longValue();
    }

    private static double number(Map<?, ?> m, String key, String at) {
        if (!(m.get(key) instanceof Number n)) {
            throw new TransfuseException(at + "." + key + ": " + m.get(key) + " is not a number");
        }
        return n.doubleValue();
    }

    private static List<Double> numbers(Map<?, ?> m, String key, String at) {
        Object v = m.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> l)) {
            throw new TransfuseException(at + "." + key + " is not a list");
        }
        List<Double> out = new ArrayList<>();
        for (Object o : l) {
            if (!(o instanceof Number n)) {
                throw new TransfuseException(at + "." + key + ": " + o + " is not a number");
            }
            out.add(n.doubleValue());
        }
        return out;
    }
}
