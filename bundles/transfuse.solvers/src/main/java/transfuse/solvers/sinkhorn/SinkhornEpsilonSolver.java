package transfuse.solvers.sinkhorn;

import org.osgi.service.component.annotations.Activate;
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
    /**
     * In OSGi. The ND4J reference is not used here: it makes the component activate only once ND4J
     * is initialized in the framework.
     */
    @Activate
    public SinkhornEpsilonSolver(@Reference Nd4jRuntime nd4j) {
        this();
    }

    /** Outside OSGi: the caller initializes ND4J first ({@link Nd4jRuntime#initialize}). */
    public SinkhornEpsilonSolver() {
    }

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
