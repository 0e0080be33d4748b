package transfuse.api.solver;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;

/**
 * Answers "a plan for this cost and these marginals". Registered as an OSGi service with
 * {@link Plugin#NAME_PROPERTY} set to its name ({@code emd}, {@code sinkhorn}, {@code lap}, ...);
 * the engine and the command line select solvers by that name only.
 */
@ConsumerType
public interface TransportSolver extends Plugin {
    /**
     * @throws transfuse.api.TransfuseException for options the solver cannot accept (e.g. a
     *         non-finite or non-positive reg), or numerical failure it can name (underflow)
     */
    TransportResult solve(TransportProblem problem, SolverOptions options, ProgressListener progress);

    /**
     * Whether the solver reads {@link SolverOptions#reg()} (the entropic Sinkhorn family), so
     * front ends can refuse a reg given to an exact solver. True by default; exact solvers say false.
     */
    default boolean regularised() {
        return true;
    }
}
