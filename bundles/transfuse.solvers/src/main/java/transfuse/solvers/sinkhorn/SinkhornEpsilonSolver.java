package transfuse.solvers.sinkhorn;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * {@code sinkhorn-epsilon}: entropic OT, stabilized Sinkhorn with epsilon scaling, ND4J float64.
 * Options: {@code reg} (finite, > 0), {@code maxIter} (0 = 1000),
 * {@code tol} (finite, > 0) on the L2 column-marginal error checked every 10 iterations.
 * Activates only once ND4J is initialized (mandatory reference to {@link Nd4jRuntime}).
 */
@Component(service = TransportSolver.class, property = Plugin.NAME_PROPERTY + "=sinkhorn-epsilon")
public final class SinkhornEpsilonSolver implements TransportSolver {
    /** Not called: held so the component only activates once ND4J is initialized in the framework. */
    @Reference
    private Nd4jRuntime runtime;

    @Override
    public String name() {
        return EpsilonScalingSinkhorn.NAME;
    }

    @Override
    public String description() {
        return "entropic OT, stabilized Sinkhorn with epsilon scaling, ND4J float64";
    }

    @Override
    public TransportResult solve(TransportProblem problem, SolverOptions options, ProgressListener progress) {
        return EpsilonScalingSinkhorn.solve(problem, SinkhornParameters.of(options), progress);
    }
}
