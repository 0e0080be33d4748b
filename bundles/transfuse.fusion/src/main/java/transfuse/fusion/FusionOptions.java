package transfuse.fusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.arch.TokenWindow;

/**
 * Every choice of a fusion, validated, with the defaults of DESIGN §3 filled in. Built from the
 * same keys on the command line ({@code --qk joint}) and in a spec file ({@code qk: joint});
 * {@link #toMap()} gives them back, defaults included, for the output's metadata.
 *
 * @param method       aligner name: {@code ot}, {@code perm}, {@code vanilla} (or any registered aligner)
 * @param align        evidence: activations, weights, or none (vanilla)
 * @param solver       OT solver name (ot only)
 * @param reg          entropic regularisation (ot with an entropic solver)
 * @param qk           how Q and K maps relate (ot only)
 * @param residual     how maps combine at a residual join (ot and other non-perm aligners)
 * @param heads        how heads are matched (perm only)
 * @param residualPerm the one residual permutation's source (perm only); null for join policies
 * @param tokens       which tokens the activation taps keep
 * @param alpha        weight of each model in the average, summing to 1
 * @param samples      training examples whose activations are compared
 * @param data         data set spec for activations ({@code NAME[:N]} or a path), null without
 *                     (kept for any method with depthAlign, whose layer costs need activations)
 * @param seed         picks the window of samples (0: the first ones)
 * @param depthAlign   match layers by OT over layer-to-layer costs before neuron alignment, so
 *                     models of different depth can be fused (docs/fusion.md)
 */
public record FusionOptions(String method, Align align, String solver, double reg, Qk qk, Residual residual,
                            Heads heads, ResidualPerm residualPerm, String tokens, double[] alpha, int samples,
                            String data, long seed, boolean depthAlign) {

    public enum Align { ACTS, WEIGHTS, NONE }

    public enum Qk { SEPARATE, SHARED, JOINT }

    public enum Residual { MEAN, WEIGHTED_SCALAR, WEIGHTED_MATRIX, IDENTITY, SKIP_ONLY }

    public enum Heads { PERMUTE, MONOTONIC, IGNORE }

    public enum ResidualPerm { FIRST, LAST, ALL, IDENTITY, SEPARATE }

    public static final double REG_ACTS = 0.08;
    public static final double REG_WEIGHTS = 0.06;
    public static final int DEFAULT_SAMPLES = 500;

    /** The keys a spec may hold (command-line flags without the dashes), besides models and out. */
    public static final Set<String> KEYS = Set.of("method", "align", "solver", "reg", "qk", "residual", "heads",
            "residual-perm", "tokens", "alpha", "samples", "data", "seed", "depth-align");

    private static final Set<String> OT_ONLY = Set.of("solver", "reg", "qk", "residual");
    private static final Set<String> PERM_ONLY = Set.of("heads", "residual-perm");

    /**
     * @param given  option values by key, as the user wrote them
     * @param models number of models (the length {@code alpha} must have)
     * @throws TransfuseException one line naming the option and the allowed values
     */
    public static FusionOptions parse(Map<String, String> given, int models) {
        for (String k : given.keySet()) {
            if (!KEYS.contains(k)) {
                throw new TransfuseException("unknown fusion option '" + k + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        String method = given.getOrDefault("method", "ot");
        boolean ot = method.equals("ot");
        boolean perm = method.equals("perm");
        boolean vanilla = method.equals("vanilla");
        for (String k : OT_ONLY) {
            if (given.containsKey(k) && !ot) {
                throw new TransfuseException("option " + k + " applies to method ot only, not " + method);
            }
        }
        for (String k : PERM_ONLY) {
            if (given.containsKey(k) && !perm) {
                throw new TransfuseException("option " + k + " applies to method perm only, not " + method);
            }
        }
        Align align = vanilla ? Align.NONE : Align.ACTS;
        if (given.containsKey("align")) {
            align = choice("align", given.get("align"), Align.class);
            if (vanilla && align != Align.NONE) {
                throw new TransfuseException("option align: method vanilla averages without alignment (align none)");
            }
            if (!vanilla && align == Align.NONE) {
                throw new TransfuseException("option align: method " + method + " needs acts or weights");
            }
        }
        if (perm && align == Align.WEIGHTS) {
            throw new TransfuseException("option align: method perm matches activation correlations (align acts);"
                    + " use method ot for weight-based alignment");
        }
        String solver = given.getOrDefault("solver", "sinkhorn");
        double reg = given.containsKey("reg") ? number("reg", given.get("reg"))
                : align == Align.WEIGHTS ? REG_WEIGHTS : REG_ACTS;
        if (!(reg > 0) || Double.isInfinite(reg)) {
            throw new TransfuseException("option reg: must be positive and finite, got " + given.get("reg"));
        }
        // Q/K maps are an OT choice; permutation merging must keep Q and K together (joint).
        Qk qk = ot ? choice("qk", given.getOrDefault("qk", "separate"), Qk.class) : Qk.JOINT;
        Residual residual = choice("residual", given.getOrDefault("residual", "mean"), Residual.class);
        if ((residual == Residual.WEIGHTED_SCALAR || residual == Residual.WEIGHTED_MATRIX) && align != Align.ACTS) {
            throw new TransfuseException("option residual: " + given.get("residual")
                    + " weighs by activation magnitudes and needs align acts");
        }
        Heads heads = choice("heads", given.getOrDefault("heads", "permute"), Heads.class);
        ResidualPerm residualPerm = perm
                ? choice("residual-perm", given.getOrDefault("residual-perm", "first"), ResidualPerm.class) : null;
        String tokens = given.getOrDefault("tokens", "all");
        tokenWindow(tokens);
        double[] alpha = alpha(given.get("alpha"), models);
        int samples = given.containsKey("samples") ? integer("samples", given.get("samples")) : DEFAULT_SAMPLES;
        if (samples <= 0) {
            throw new TransfuseException("option samples: must be positive, got " + samples);
        }
        String data = given.get("data");
        if (align == Align.ACTS && (data == null || data.isBlank())) {
            throw new TransfuseException("method " + method + " aligns from activations and needs data"
                    + " (--data NAME[:N], e.g. fashion-mnist:500), or align weights");
        }
        long seed = given.containsKey("seed") ? integer("seed", given.get("seed")) : 0;
        boolean depthAlign = flag("depth-align", given.get("depth-align"));
        if (depthAlign && align != Align.ACTS && (data == null || data.isBlank())) {
            throw new TransfuseException("option depth-align: layers are matched by their activations and need data"
                    + " (--data NAME[:N], e.g. fashion-mnist:500)");
        }
        boolean sampled = align == Align.ACTS || depthAlign;
        return new FusionOptions(method, align, solver, reg, qk, residual, heads, residualPerm, tokens, alpha,
                samples, sampled ? data : null, seed, depthAlign);
    }

    /** {@code all}, {@code cls}, {@code window:K} (the first K tokens) or {@code FROM:TO}. */
    public static TokenWindow tokenWindow(String s) {
        if (s.startsWith("window:")) {
            int k = integer("tokens", s.substring("window:".length()));
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

    /** What the spec reads back as, defaults included (for metadata and reports). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("align", label(align));
        if (method.equals("ot")) {
            m.put("solver", solver);
            m.put("reg", reg);
            m.put("qk", label(qk));
        }
        if (residualPerm == null) {
            m.put("residual", label(residual));
        } else {
            m.put("heads", label(heads));
            m.put("residual-perm", label(residualPerm));
        }
        if (depthAlign) {
            m.put("depth-align", true);
        }
        if (align == Align.ACTS || depthAlign) {
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
        return residualPerm != ResidualPerm.SEPARATE;
    }

    public static String label(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (label(e).equals(value)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(label(e));
        }
        throw new TransfuseException("option " + key + ": unknown value '" + value + "' (allowed: "
                + String.join(", ", allowed) + ")");
    }

    private static double[] alpha(String s, int models) {
        double[] a = new double[models];
        if (s == null) {
            Arrays.fill(a, 1.0 / models);
            return a;
        }
        String[] parts = s.split(",");
        if (parts.length != models) {
            throw new TransfuseException("option alpha: " + parts.length + " weights for " + models + " models");
        }
        double sum = 0;
        for (int i = 0; i < models; i++) {
            a[i] = number("alpha", parts[i].trim());
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

    /** A flag: absent or {@code false} is off, {@code true} (what the command line passes) is on. */
    private static boolean flag(String key, String v) {
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw new TransfuseException("option " + key + ": '" + v + "' is not true or false");
    }

    private static double number(String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new TransfuseException("option " + key + ": '" + v + "' is not a number");
        }
    }

    private static int integer(String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new TransfuseException("option " + key + ": '" + v + "' is not an integer");
        }
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
