package transfuse.fusion.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.AlignerSettings;
import transfuse.api.align.Evidence;
import transfuse.api.align.MapPolicy;
import transfuse.api.align.MapPolicy.Qk;
import transfuse.api.align.MapPolicy.Residual;
import transfuse.api.align.MapPolicy.ResidualStream;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.arch.HeadGroup;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * {@code ot}: optimal-transport fusion (Singh & Jaggi; Imfeld et al. for transformers). Cost =
 * Euclidean distance of the evidence normalised by its maximum, uniform marginals, any registered
 * solver by name. The plan P is returned as its barycentric projection {@code T = diag(1/a) P}:
 * every row sums to 1, so each anchor neuron receives a convex combination of the other model's
 * neurons (with equal widths, T = n P). Its options (solver, reg, qk, residual) and their
 * defaults are declared here and nowhere else.
 */
@Component(service = Aligner.class, property = Plugin.NAME_PROPERTY + "=ot")
public final class OtAligner implements Aligner {
    public static final String DEFAULT_SOLVER = "sinkhorn";
    /** Default reg with activation evidence (docs/fusion.md; costs are normalised to [0, 1]). */
    public static final double REG_ACTS = 0.08;
    /** Default reg with weight evidence. */
    public static final double REG_WEIGHTS = 0.06;
    /** The {@code residual} value that asks for one map per residual stream, from all its taps. */
    public static final String STREAM_ALL = "all";
    /**
     * How the heads of a head group are matched: {@code ignore} (the paper's: every space of the
     * group on its own, so a neuron may move into another head), {@code permute} (heads move as
     * wholes, the inner plans per head pair as in {@link FactoredHeads}) or {@code monotonic}
     * (heads stay in order, inner plans only).
     */
    public static final List<String> HEADS = List.of("ignore", "permute", "monotonic");

    private static final List<OptionDecl> OPTIONS = List.of(
            OptionDecl.text("solver", DEFAULT_SOLVER, "transport solver by name (any registered solver: emd, sinkhorn,"
                    + " sinkhorn-log, ...)"),
            OptionDecl.number("reg", null, Double.MIN_VALUE, Double.MAX_VALUE, "entropic regularisation of a"
                    + " regularised solver (default " + REG_ACTS + " with align acts, " + REG_WEIGHTS + " with weights)"),
            OptionDecl.choice("qk", MapPolicy.label(Qk.SEPARATE), MapPolicy.labels(Qk.class),
                    "Q and K maps: one per projection, the Q map for both, or one from both taps"),
            OptionDecl.choice("residual", MapPolicy.label(Residual.MEAN), residualChoices(),
                    "the map of a residual sum from the skip's and the branch's maps, or all: one map for the whole"
                    + " residual stream from all its taps (or weights), which keeps the aligned model's stream a"
                    + " permutation with an exact solver"),
            OptionDecl.choice("heads", HEADS.get(0), HEADS, "attention heads: each space on its own (neurons may"
                    + " change head), heads moved as wholes, or heads kept in order; permute and monotonic need qk joint"));

    private final Function<String, TransportSolver> solvers;

    /**
     * In OSGi: the registered solvers by service id. A dynamic reference rather than a constructor
     * argument: a static one makes SCR dispose and re-create this aligner whenever any solver bundle
     * comes or goes (issue 10), and a solver is only needed when an alignment runs.
     */
    private final Map<Long, RegisteredSolver> registered = new ConcurrentHashMap<>();

    /** In OSGi: every registered solver, chosen by name per request. */
    @Activate
    public OtAligner(@Reference Nd4jRuntime nd4j) {
        this.solvers = this::registeredSolver;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSolver(TransportSolver solver, Map<String, Object> properties) {
        RegisteredSolver r = RegisteredSolver.of(solver, properties);
        registered.put(r.id(), r);
    }

    void updatedSolver(TransportSolver solver, Map<String, Object> properties) {
        addSolver(solver, properties);
    }

    void removeSolver(TransportSolver solver, Map<String, Object> properties) {
        registered.remove(RegisteredSolver.of(solver, properties).id());
    }

    /** The solver registered under that name: highest ranking, then oldest, as PluginCatalog.open chooses. */
    private TransportSolver registeredSolver(String name) {
        List<RegisteredSolver> all = List.copyOf(registered.values());
        return all.stream().filter(r -> r.name().equals(name)).min(RegisteredSolver.PREFERRED).map(RegisteredSolver::solver)
                .orElseThrow(() -> new TransfuseException("unknown solver '" + name + "' (available: " + String.join(", ",
                        new TreeSet<>(all.stream().map(RegisteredSolver::name).toList())) + ")"));
    }

    /** A solver service with the registration properties that name and order it. */
    private record RegisteredSolver(TransportSolver solver, String name, int ranking, long id) {
        static final Comparator<RegisteredSolver> PREFERRED =
                Comparator.comparingInt(RegisteredSolver::ranking).reversed().thenComparingLong(RegisteredSolver::id);

        static RegisteredSolver of(TransportSolver solver, Map<String, Object> properties) {
            Object ranking = properties.get("service.ranking");
            return new RegisteredSolver(solver, String.valueOf(properties.get(Plugin.NAME_PROPERTY)),
                    ranking instanceof Integer i ? i : 0, (Long) properties.get("service.id"));
        }
    }

    /**
     * Outside OSGi: solvers looked up by name; the lookup returns null or throws a
     * {@link TransfuseException} naming the available ones for an unknown name. A factory over a
     * private constructor: SCR considers public constructors only, and a second public
     * one-argument one made it try this one first in some runs (an error logged at start-up).
     */
    public static OtAligner withSolvers(Function<String, TransportSolver> solvers) {
        return new OtAligner(solvers);
    }

    private OtAligner(Function<String, TransportSolver> solvers) {
        this.solvers = solvers;
    }

    @Override
    public String name() {
        return "ot";
    }

    @Override
    public String description() {
        return "optimal-transport fusion: normalised Euclidean cost, uniform marginals, any solver, barycentric projection";
    }

    @Override
    public List<OptionDecl> options() {
        return OPTIONS;
    }

    /** The solver is looked up here, so an unknown one is refused before any activation is computed. */
    @Override
    public AlignerSettings configure(OptionValues options, Evidence evidence) {
        TransportSolver solver = solver(options.text("solver"));
        if (options.has("reg") && !solver.regularised()) {
            throw new TransfuseException(options.key("reg") + ": solver " + solver.name()
                    + " is exact and takes no reg");
        }
        Qk qk = MapPolicy.fromLabel(Qk.class, options.text("qk"));
        if (!options.text("heads").equals(HEADS.get(0)) && qk != Qk.JOINT) {
            // With separate or shared maps Q and K are planned before their head group, so the
            // head plan (from V alone) would not move them: the heads would not move as wholes.
            throw new TransfuseException(options.key("heads") + ": " + options.text("heads") + " moves Q, K and V"
                    + " together and needs qk joint (given: " + options.text("qk") + ")");
        }
        if (STREAM_ALL.equals(options.text("residual"))) {
            return new AlignerSettings(new MapPolicy(qk, Residual.MEAN, ResidualStream.ALL), values(options, evidence, qk));
        }
        Residual residual = MapPolicy.fromLabel(Residual.class, options.text("residual"));
        if ((residual == Residual.WEIGHTED_SCALAR || residual == Residual.WEIGHTED_MATRIX) && evidence != Evidence.ACTS) {
            throw new TransfuseException(options.key("residual") + ": " + MapPolicy.label(residual)
                    + " weighs by activation magnitudes and needs align acts");
        }
        return new AlignerSettings(new MapPolicy(qk, residual, null), values(options, evidence, qk));
    }

    /** The record: every option with its default resolved, {@code residual} as given. */
    private static Map<String, Object> values(OptionValues options, Evidence evidence, Qk qk) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("solver", options.text("solver"));
        // Recorded for every solver (an exact one ignores it), as fusion records always had it.
        values.put("reg", options.has("reg") ? options.number("reg") : defaultReg(evidence));
        values.put("qk", MapPolicy.label(qk));
        values.put("residual", options.text("residual"));
        // Recorded only when heads move: records (and so the bytes of fused files) made before the
        // option existed stay what they were for the default.
        if (!options.text("heads").equals(HEADS.get(0))) {
            values.put("heads", options.text("heads"));
        }
        return values;
    }

    /** The join policies, then {@code all} (perm's {@code residual-perm all}: one map per residual stream). */
    private static List<String> residualChoices() {
        List<String> choices = new ArrayList<>(MapPolicy.labels(Residual.class));
        choices.add(STREAM_ALL);
        return List.copyOf(choices);
    }

    /** The reg used when none is given. */
    public static double defaultReg(Evidence evidence) {
        return evidence == Evidence.WEIGHTS ? REG_WEIGHTS : REG_ACTS;
    }

    @Override
    public SpaceMap align(SpaceMatch match, ProgressListener progress) {
        String solverName = match.options().getOrDefault("solver", DEFAULT_SOLVER);
        TransportSolver solver = solver(solverName);
        double reg = match.options().containsKey("reg") ? Double.parseDouble(match.options().get("reg"))
                : defaultReg(match.hasCorrelation() ? Evidence.ACTS : Evidence.WEIGHTS);
        int n = match.spaceA().size();
        int m = match.spaceB().size();
        long t0 = System.nanoTime();
        double[] cost = CostMatrix.of(match);
        long t1 = System.nanoTime();
        TransportResult r = solver.solve(TransportProblem.uniform(n, m, cost),
                SolverOptions.DEFAULTS.withReg(reg), ProgressListener.NONE);
        long t2 = System.nanoTime();
        double[] t = r.plan(); // normalised in place: a second n x m copy would double the peak memory
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) {
                s += t[i * m + j];
            }
            if (s > 0) {
                for (int j = 0; j < m; j++) {
                    t[i * m + j] /= s;
                }
            }
        }
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("solver", solverName);
        if (solver.regularised()) {
            stats.put("reg", reg);
        }
        stats.put("iterations", r.iterations());
        stats.put("converged", r.converged());
        stats.put("transport_cost", r.cost());
        stats.put("marginal_error", r.marginalError());
        stats.put("cost_seconds", (t1 - t0) / 1e9);
        stats.put("solve_seconds", (t2 - t1) / 1e9);
        return new SpaceMap(match.spaceA().name(), n, m, t, stats);
    }

    /**
     * A group without head factors under {@code heads ignore}: each member on its own, as the
     * paper does. Under {@code permute} or {@code monotonic}, or with factors
     * ({@link FactoredHeads}): per head pair one transport plan per symmetry (the identity for a
     * fixed factor), each from the summed costs of the members naming it, then one plan over the
     * heads from the pairs' transported costs; a member's map is the head plan times the Kronecker
     * product of its factors' plans. An exact solver gives permutations of that structure (a
     * reparametrisation of the model), a regularised one soft maps of the same structure.
     */
    @Override
    public List<SpaceMap> alignHeads(HeadGroup group, List<SpaceMatch> members, ProgressListener progress) {
        String mode = members.isEmpty() ? HEADS.get(0) : members.get(0).options().getOrDefault("heads", HEADS.get(0));
        if (group.inside().isEmpty() && mode.equals(HEADS.get(0))) {
            return Aligner.super.alignHeads(group, members, progress);
        }
        String solverName = members.get(0).options().getOrDefault("solver", DEFAULT_SOLVER);
        TransportSolver solver = solver(solverName);
        double reg = members.get(0).options().containsKey("reg") ? Double.parseDouble(members.get(0).options().get("reg"))
                : defaultReg(members.get(0).hasCorrelation() ? Evidence.ACTS : Evidence.WEIGHTS);
        long t0 = System.nanoTime();
        List<double[]> scores = new ArrayList<>();
        for (SpaceMatch m : members) {
            double[] cost = CostMatrix.of(m);
            for (int k = 0; k < cost.length; k++) {
                cost[k] = -cost[k];
            }
            scores.add(cost);
        }
        FactoredHeads.Result r = new FactoredHeads(group, members, scores).solve((score, n) -> transport(solver, reg,
                score, n), mode.equals("monotonic"));
        List<SpaceMap> maps = new ArrayList<>();
        for (int s = 0; s < members.size(); s++) {
            SpaceMatch m = members.get(s);
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("solver", solverName);
            if (solver.regularised()) {
                stats.put("reg", reg);
            }
            stats.put("matching", group.inside().isEmpty() ? "heads " + mode : "heads with head factors");
            stats.put("transported_score", r.total());
            stats.put("solve_seconds", (System.nanoTime() - t0) / 1e9);
            maps.add(new SpaceMap(m.spaceA().name(), m.spaceA().size(), m.spaceB().size(), r.maps().get(s), stats));
        }
        return maps;
    }

    /**
     * One step of the factored matching: the score (higher is better) turned into a cost in [0, 1]
     * (so one reg suits every step), transported with uniform marginals, rows normalised to sum 1.
     */
    private static double[] transport(TransportSolver solver, double reg, double[] score, int n) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (double x : score) {
            max = Math.max(max, x);
            min = Math.min(min, x);
        }
        double[] cost = new double[score.length];
        for (int k = 0; k < cost.length; k++) {
            cost[k] = max > min ? (max - score[k]) / (max - min) : 0;
        }
        double[] t = solver.solve(TransportProblem.uniform(n, n, cost), SolverOptions.DEFAULTS.withReg(reg),
                ProgressListener.NONE).plan();
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += t[i * n + j];
            }
            for (int j = 0; j < n && s > 0; j++) {
                t[i * n + j] /= s;
            }
        }
        return t;
    }

    private TransportSolver solver(String name) {
        TransportSolver s;
        try {
            s = solvers.apply(name);
        } catch (TransfuseException e) {
            throw new TransfuseException("option solver: " + e.getMessage(), e);
        }
        if (s == null) {
            throw new TransfuseException("option solver: unknown solver '" + name + "'");
        }
        return s;
    }
}
