package transfuse.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.AlignerSettings;
import transfuse.api.align.Evidence;
import transfuse.api.align.MapPolicy;
import transfuse.api.arch.TokenWindow;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;

/**
 * Every choice of a fusion, validated before any work: the engine's own keys
 * ({@link #engineOptions()}) and the chosen aligner's, which it declares itself
 * ({@link Aligner#options()}) and checks ({@link Aligner#configure}). Built from the same keys on
 * the command line ({@code --qk joint}) and in a spec file ({@code qk: joint});
 * {@link #toMap()} gives them back, defaults included, for the output's metadata.
 *
 * @param method       aligner name ({@code ot}, {@code perm}, {@code vanilla} or any registered aligner)
 * @param align        evidence: activations, weights, or none
 * @param tokens       which tokens the activation taps keep
 * @param alpha        weight of each model in the average, summing to 1
 * @param samples      training examples whose activations are compared
 * @param samplesGiven whether {@code samples} was given rather than defaulted: a given count must
 *                     fit the data, the default takes at most what the data has
 * @param data         data set spec for activations ({@code NAME[:N]} or a path), null without
 *                     (kept for any method with depthAlign, whose layer costs need activations)
 * @param seed         picks the window of samples (0: the first ones)
 * @param depthAlign   match layers by OT over layer-to-layer costs before neuron alignment, so
 *                     models of different depth can be fused (docs/fusion.md)
 * @param aligner      the aligner's validated options and the map policy it chose from them
 */
public record FusionOptions(String method, Evidence align, String tokens, double[] alpha, int samples,
                            boolean samplesGiven, String data, long seed, boolean depthAlign,
                            AlignerSettings aligner) {

    public static final String DEFAULT_METHOD = "ot";
    public static final int DEFAULT_SAMPLES = 500;
    /** How messages name a key. */
    private static final String KEY_FORMAT = "option %s";

    private static final List<OptionDecl> ENGINE = List.of(
            OptionDecl.text("method", DEFAULT_METHOD, "the aligner by name (ot, perm, vanilla or any registered one)"),
            OptionDecl.choice("align", null, labels(), "evidence: activations over the data, weights, or none"
                    + " (default: the aligner's first)"),
            OptionDecl.data("data", "training data whose activations are compared; needed with align acts or"
                    + " depth-align"),
            OptionDecl.integer("samples", (long) DEFAULT_SAMPLES, 1, Integer.MAX_VALUE, "examples compared"
                    + " (the default takes at most what the data has)"),
            OptionDecl.integer("seed", 0L, Integer.MIN_VALUE, Integer.MAX_VALUE, "0: the first examples;"
                    + " otherwise a seeded window of consecutive examples"),
            OptionDecl.text("tokens", "all", "token positions the taps keep: all, cls, window:K or FROM:TO"),
            OptionDecl.list("alpha", "model weights a,b,...: non-negative, summing to 1 (default 1/N each)"),
            OptionDecl.flag("depth-align", "match layers first, so models of different depth can be fused"
                    + " (needs data)"));
    /** The keys that only matter when activations are computed (align acts, or depth-align's layer costs). */
    private static final List<String> SAMPLING = List.of("data", "samples", "tokens", "seed");

    /** The engine's own options: the same for every aligner. */
    public static List<OptionDecl> engineOptions() {
        return ENGINE;
    }

    /** Each aligner's own options by aligner name, sorted by name: for help texts beside {@link #engineOptions()}. */
    public static Map<String, List<OptionDecl>> alignerOptions(Collection<? extends Aligner> aligners) {
        Map<String, List<OptionDecl>> out = new TreeMap<>();
        for (Aligner a : aligners) {
            out.put(a.name(), a.options());
        }
        return out;
    }

    /**
     * Checks, in this order, that the method names an aligner, that every key is the engine's or
     * that aligner's, every value's type and range, which keys apply to the chosen evidence, and
     * the aligner's own rules; only the data set's size and the models' token counts are left
     * for when they are opened ({@link #checkSamples}, {@link #checkTokens}).
     *
     * @param given     option values by key (strings from flags; strings, numbers, booleans or
     *                  lists from a spec file or JSON)
     * @param models    number of models (the length {@code alpha} must have)
     * @param aligners  an aligner by name: null, or a {@link TransfuseException} naming the
     *                  available ones, for an unknown name ({@link FusionServices#aligner} fits)
     * @throws TransfuseException one line naming the key ({@code option KEY: ...})
     */
    public static FusionOptions parse(Map<String, ?> given, int models, Function<String, Aligner> aligners) {
        Object m = given.get("method");
        String method = OptionValues.of(m == null ? Map.of() : Map.of("method", m), ENGINE, KEY_FORMAT).text("method");
        Aligner aligner = aligner(method, aligners);
        Map<String, Object> engineGiven = new LinkedHashMap<>();
        Map<String, Object> alignerGiven = new LinkedHashMap<>();
        split(given, method, aligner, engineGiven, alignerGiven);
        OptionValues engine = OptionValues.of(engineGiven, ENGINE, KEY_FORMAT);
        Evidence evidence = evidence(engine, method, aligner);
        boolean depthAlign = engine.flag("depth-align");
        boolean sampled = evidence == Evidence.ACTS || depthAlign;
        for (String k : SAMPLING) {
            if (!sampled && engine.has(k)) {
                throw new TransfuseException(engine.key(k) + ": does not apply: method " + method + " with align "
                        + evidence.label() + " computes no activations (data, samples, tokens and seed apply with"
                        + " align acts or depth-align)");
            }
        }
        String data = engine.text("data");
        if (evidence == Evidence.ACTS && data == null) {
            throw new TransfuseException("method " + method + " aligns from activations and needs data"
                    + " (--data NAME[:N], e.g. fashion-mnist:500), or align weights");
        }
        if (depthAlign && data == null) {
            throw new TransfuseException(engine.key("depth-align") + ": layers are matched by their activations and"
                    + " need data (--data NAME[:N], e.g. fashion-mnist:500)");
        }
        String tokens = engine.text("tokens");
        tokenWindow(tokens);
        double[] alpha = alpha(engine.list("alpha"), models);
        AlignerSettings settings = aligner.configure(OptionValues.of(alignerGiven, aligner.options(), KEY_FORMAT),
                evidence);
        return new FusionOptions(method, evidence, tokens, alpha, engine.intValue("samples"), engine.has("samples"),
                data, engine.integer("seed"), depthAlign, settings);
    }

    /** {@code all}, {@code cls}, {@code window:K} (the first K tokens) or {@code FROM:TO}. */
    public static TokenWindow tokenWindow(String s) {
        if (s.startsWith("window:")) {
            int k;
            try {
                k = Integer.parseInt(s.substring("window:".length()).trim());
            } catch (NumberFormatException e) {
                throw new TransfuseException("option tokens: '" + s + "' is not all, cls, window:K or FROM:TO");
            }
            if (k <= 0) {
                throw new TransfuseException("option tokens: window:K needs K > 0, got " + k);
            }
            return new TokenWindow(0, k);
        }
        try {
            return TokenWindow.parse(s);
        } catch (TransfuseException e) {
            throw new TransfuseException("option tokens: '" + s + "' is not all, cls, window:K or FROM:TO");
        }
    }

    public TokenWindow tokenWindow() {
        return tokenWindow(tokens);
    }

    /** How the engine combines the aligner's maps. */
    public MapPolicy policy() {
        return aligner.policy();
    }

    /**
     * Refuses a given sample count above the data set's size, once the data is open (before any
     * activation is computed): the record must say how many examples were compared.
     */
    public void checkSamples(int available) {
        if (samplesGiven && samples > available) {
            throw new TransfuseException("option samples: " + samples + " is more than the " + available
                    + " examples of data " + data);
        }
    }

    /** Refuses a token window reaching past a model's tokens, once its config is read (before any work). */
    public void checkTokens(int modelTokens, String model) {
        TokenWindow w = tokenWindow();
        if (w.to() != Integer.MAX_VALUE && w.to() > modelTokens) {
            throw new TransfuseException("option tokens: " + tokens + " reaches past the " + modelTokens
                    + " tokens of " + model + " (positions 0 to " + (modelTokens - 1) + ")");
        }
    }

    /** What the spec reads back as, defaults included (for metadata and reports). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("align", align.label());
        m.putAll(aligner.values());
        // The engine maps residual adds for any aligner that leaves them to it: recorded, as always.
        if (aligner.policy().stream() == null) {
            m.putIfAbsent("residual", MapPolicy.label(aligner.policy().residual()));
        }
        if (depthAlign) {
            m.put("depth-align", true);
        }
        if (align == Evidence.ACTS || depthAlign) {
            m.put("tokens", tokens);
            m.put("samples", samples);
            m.put("data", data);
            m.put("seed", seed);
        }
        List<Object> a = new ArrayList<>();
        for (double x : alpha) {
            a.add(x);
        }
        m.put("alpha", a);
        return m;
    }

    /** Whether a fusion with these options returns the anchor for a function-preservingly permuted copy. */
    public boolean functionPreserving() {
        return aligner.policy().functionPreserving();
    }

    private static Aligner aligner(String method, Function<String, Aligner> aligners) {
        Aligner a;
        try {
            a = aligners.apply(method);
        } catch (TransfuseException e) {
            throw new TransfuseException(String.format(KEY_FORMAT, "method") + ": " + e.getMessage(), e);
        }
        if (a == null) {
            throw new TransfuseException(String.format(KEY_FORMAT, "method") + ": unknown aligner '" + method + "'");
        }
        return a;
    }

    /** Sorts the given keys into the engine's and the aligner's; any other key is refused. */
    private static void split(Map<String, ?> given, String method, Aligner aligner, Map<String, Object> engine,
                              Map<String, Object> own) {
        TreeSet<String> engineKeys = new TreeSet<>();
        ENGINE.forEach(d -> engineKeys.add(d.name()));
        TreeSet<String> ownKeys = new TreeSet<>();
        for (OptionDecl d : aligner.options()) {
            if (engineKeys.contains(d.name())) {
                throw new TransfuseException("aligner " + method + " declares option '" + d.name()
                        + "', which is the engine's");
            }
            ownKeys.add(d.name());
        }
        for (Map.Entry<String, ?> e : given.entrySet()) {
            if (engineKeys.contains(e.getKey())) {
                engine.put(e.getKey(), e.getValue());
            } else if (ownKeys.contains(e.getKey())) {
                own.put(e.getKey(), e.getValue());
            } else {
                TreeSet<String> known = new TreeSet<>(engineKeys);
                known.addAll(ownKeys);
                throw new TransfuseException(String.format(KEY_FORMAT, e.getKey()) + ": not an option of method "
                        + method + " (options: " + String.join(", ", known) + ")");
            }
        }
    }

    private static Evidence evidence(OptionValues engine, String method, Aligner aligner) {
        List<Evidence> accepted = aligner.evidence();
        if (accepted.isEmpty()) {
            throw new TransfuseException("aligner " + method + " declares no evidence it can align from");
        }
        if (!engine.has("align")) {
            return accepted.get(0);
        }
        Evidence e = Evidence.valueOf(engine.text("align").toUpperCase(Locale.ROOT));
        if (!accepted.contains(e)) {
            List<String> names = new ArrayList<>();
            accepted.forEach(a -> names.add(a.label()));
            throw new TransfuseException(engine.key("align") + ": method " + method + " takes align "
                    + String.join(" or ", names) + ", not " + e.label());
        }
        return e;
    }

    private static List<String> labels() {
        List<String> out = new ArrayList<>();
        for (Evidence e : Evidence.values()) {
            out.add(e.label());
        }
        return out;
    }

    /** Weights as one comma-separated value ({@code 0.3,0.7}), a list, or both mixed. */
    private static double[] alpha(List<String> given, int models) {
        double[] a = new double[models];
        if (given.isEmpty()) {
            Arrays.fill(a, 1.0 / models);
            return a;
        }
        String[] parts = String.join(",", given).split(",");
        if (parts.length != models) {
            throw new TransfuseException("option alpha: " + parts.length + " weights for " + models + " models");
        }
        double sum = 0;
        for (int i = 0; i < models; i++) {
            try {
                a[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new TransfuseException("option alpha: '" + parts[i] + "' is not a number");
            }
            if (!(a[i] >= 0) || Double.isInfinite(a[i])) {
                throw new TransfuseException("option alpha: weights must be finite and non-negative, got " + parts[i]);
            }
            sum += a[i];
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new TransfuseException("option alpha: weights must sum to 1, they sum to " + sum);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusionOptions f && f.toMap().equals(toMap());
    }

    @Override
    public int hashCode() {
        return toMap().hashCode();
    }

    @Override
    public String toString() {
        return "FusionOptions" + toMap();
    }
}
