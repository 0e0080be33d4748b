package transfuse.it.plugins;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/** A solver that activates but cannot describe itself, packed into a bundle by {@link transfuse.it.TestJars}. */
public final class ThrowingDescriptionSolver implements TransportSolver {
    public static final String MESSAGE = "description unavailable (test plugin)";

    @Override
    public String name() {
        return "throwing-description";
    }

    @Override
    public String description() {
        throw new IllegalStateException(MESSAGE);
    }

    @Override
    public TransportResult solve(TransportProblem p, SolverOptions options, ProgressListener progress) {
        throw new UnsupportedOperationException();
    }
}
