package transfuse.testplugin;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/**
 * The north-west corner rule at a walking pace: 20 ms and one progress report per row, so a
 * job using it runs for a predictable while (250 rows: about 5 s). Tests use it to act on a job
 * that is holding a deployed plugin, e.g. removing the plugin's bundle mid-job.
 */
@Component(service = TransportSolver.class, property = Plugin.NAME_PROPERTY + "=nw-corner-paced")
public final class PacedNorthWestCornerSolver implements TransportSolver {
    private static final long MILLIS_PER_ROW = 20;

    @Override
    public String name() {
        return "nw-corner-paced";
    }

    @Override
    public String description() {
        return "north-west corner rule, 20 ms per row with progress (test plugin for long-running jobs)";
    }

    @Override
    public TransportResult solve(TransportProblem p, SolverOptions options, ProgressListener progress) {
        return NorthWestCornerSolver.northWestCorner(p, row -> {
            try {
                Thread.sleep(MILLIS_PER_ROW);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            progress.progress("rows", row + 1, p.n(), "");
        });
    }
}
