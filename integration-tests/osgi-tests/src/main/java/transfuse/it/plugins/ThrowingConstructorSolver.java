package transfuse.it.plugins;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/**
 * A solver whose constructor throws, packed by {@link transfuse.it.TestJars} into a bundle of its
 * own with a hand-written DS descriptor: SCR registers its service and fails to activate it.
 */
public final class ThrowingConstructorSolver implements TransportSolver {
    public static final String MESSAGE = "constructor refuses to run (test plugin)";

    public ThrowingConstructorSolver() {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public String name() {
        return "throwing-constructor";
    }

    @Override
    public String description() {
        return "never seen";
    }

    @Override
    public TransportResult solve(TransportProblem p, SolverOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException();
    }
}
