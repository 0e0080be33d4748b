package transfuse.solvers.lap;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.solvers.common.OptionChecks;

/**
 * {@code lap}: exact linear assignment (rectangular: {@code min(n, m)} pairs), minimising or,
 * with {@code maximize}, maximising. Marginals, {@code reg} and {@code tol} are ignored; the
 * algorithm always finishes, so {@code maxIter} is only checked for sanity. The result's
 * {@code iterations} counts shortest-augmenting-path searches after JV's reductions (0 when the
 * reductions alone assign every row); {@code marginalError} is 0 (there are no marginals).
 */
@Component(service = TransportSolver.class, property = Plugin.NAME_PROPERTY + "=lap")
public final class LapSolver implements TransportSolver {
    @Override
    public String name() {
        return "lap";
    }

    @Override
    public String description() {
        return "exact linear assignment (Jonker-Volgenant shortest augmenting paths), rectangular, min or max";
    }

    /** Exact: reg does not apply. */
    @Override
    public boolean regularised() {
        return false;
    }

    @Override
    public TransportResult solve(TransportProblem problem, SolverOptions options, ProgressListener progress) {
        OptionChecks.maxIter(options, 0);
        return LinearAssignment.solve(problem, options.maximize(), progress);
    }
}
