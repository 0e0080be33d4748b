package transfuse.testplugin;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/**
 * The north-west corner rule: a feasible (not optimal) transport plan, filled greedily from the
 * top-left cell. Small enough to read at a glance, real enough to be used by name once deployed.
 */
@Component(service = TransportSolver.class, property = Plugin.NAME_PROPERTY + "=nw-corner")
public final class NorthWestCornerSolver implements TransportSolver {
    @Override
    public String name() {
        return "nw-corner";
    }

    @Override
    public String description() {
        return "north-west corner rule: a feasible, not optimal, plan (test plugin)";
    }

    @Override
    public TransportResult solve(TransportProblem p, SolverOptions options, ProgressListener progress) {
        return northWestCorner(p, row -> { });
    }

    /** The rule itself; {@code afterRow} is told each row that is done. */
    static TransportResult northWestCorner(TransportProblem p, java.util.function.IntConsumer afterRow) {
        double[] plan = new double[p.n() * p.m()];
        double[] rowLeft = p.a().clone();
        double[] colLeft = p.b().clone();
        int i = 0;
        int j = 0;
        int steps = 0;
        double cost = 0;
        while (i < p.n() && j < p.m()) {
            double mass = Math.min(rowLeft[i], colLeft[j]);
            plan[i * p.m() + j] = mass;
            cost += mass * p.cost(i, j);
            rowLeft[i] -= mass;
            colLeft[j] -= mass;
            steps++;
            if (rowLeft[i] <= colLeft[j]) {
                afterRow.accept(i);
                i++;
            } else {
                j++;
            }
        }
        return new TransportResult(plan, cost, steps, 0.0, true, null, null);
    }
}
