package transfuse.solvers.emd;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.solvers.common.OptionChecks;

/**
 * {@code emd}: exact optimal transport by network simplex, float64, with dual potentials.
 * <p>
 * Pivot limit: {@code maxIter} counts pivots. {@code 0} and the API's generic default
 * ({@link SolverOptions#DEFAULTS}{@code .maxIter()} = 1000, meant for Sinkhorn and far too few
 * pivots for an exact solve) both select {@link #defaultMaxPivots(int, int)}; any other positive
 * value is taken literally. Reaching the limit returns the plan reached so far (its missing
 * mass shows in the marginal error) with {@code converged = false}. {@code maximize} maximises
 * the total cost. {@code reg} and {@code tol} do not apply and are not read.
 */
@Component(service = TransportSolver.class, property = Plugin.NAME_PROPERTY + "=emd")
public final class EmdSolver implements TransportSolver {
    /** POT's default ({@code numItermax=100000}), the floor of the default limit. */
    public static final int POT_DEFAULT_PIVOTS = 100_000;

    @Override
    public String name() {
        return "emd";
    }

    @Override
    public String description() {
        return "exact optimal transport (network simplex, block search pivots), float64, with dual potentials";
    }

    /** Exact: reg does not apply. */
    @Override
    public boolean regularised() {
        return false;
    }

    @Override
    public TransportResult solve(TransportProblem problem, SolverOptions options, ProgressListener progress) {
        int requested = OptionChecks.maxIter(options, 0);
        int maxPivots = requested == 0 || requested == SolverOptions.DEFAULTS.maxIter()
                ? defaultMaxPivots(problem.n(), problem.m()) : requested;
        return ExactTransport.solve(problem, maxPivots, options.maximize(), progress);
    }

    /**
     * Generous enough that problems of a few thousand points finish: random costs and the
     * activation costs of real model pairs (bge-small / e5-small, n = 384 and 1536) both need
     * 8-24 pivots per node once the network's nodes are relabelled (see {@link ExactTransport}),
     * so 100 per node leaves at least 4x headroom; still bounded so a pathological input reports
     * instead of hanging.
     */
    public static int defaultMaxPivots(int n, int m) {
        long scaled = 100L * (n + m);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(POT_DEFAULT_PIVOTS, scaled));
    }
}
