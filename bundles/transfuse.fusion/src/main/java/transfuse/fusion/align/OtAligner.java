package transfuse.fusion.align;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * {@code ot}: optimal-transport fusion (Singh & Jaggi; Imfeld et al. for transformers). Cost =
 * Euclidean distance of the evidence normalised by its maximum, uniform marginals, any registered
 * solver by name (option {@code solver}, default {@code sinkhorn}; {@code reg} default 0.08 on
 * activations, 0.06 on weights). The plan P is returned as its barycentric projection
 * {@code T = diag(1/a) P}: every row sums to 1, so each anchor neuron receives a convex
 * combination of the other model's neurons (with equal widths, T = n P).
 */
@Component(service = Aligner.class, property = Plugin.NAME_PROPERTY + "=ot")
public final class OtAligner implements Aligner {
    private final Function<String, TransportSolver> solvers;

    /** In OSGi: every registered solver, chosen by name per request. */
    @Activate
    public OtAligner(@Reference Nd4jRuntime nd4j,
                     @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
                     List<TransportSolver> registered) {
        this(name -> {
            for (TransportSolver s : registered) {
                if (s.name().equals(name)) {
                    return s;
                }
            }
            return null;
        });
    }

    /** Outside OSGi: solvers looked up by name (null for an unknown name). */
    public OtAligner(Function<String, TransportSolver> solvers) {
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
    public SpaceMap align(SpaceMatch match, ProgressListener progress) {
        String solverName = match.options().getOrDefault("solver", "sinkhorn");
        TransportSolver solver = solvers.apply(solverName);
        if (solver == null) {
            throw new TransfuseException("unknown solver '" + solverName + "' for method ot");
        }
        double reg = match.options().containsKey("reg") ? Double.parseDouble(match.options().get("reg"))
                : match.hasCorrelation() ? 0.08 : 0.06;
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
        if (!solverName.equals("emd") && !solverName.equals("lap")) {
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
}
