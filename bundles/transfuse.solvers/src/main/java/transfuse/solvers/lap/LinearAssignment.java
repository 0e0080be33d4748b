package transfuse.solvers.lap;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;

/**
 * Exact rectangular linear assignment on a {@link TransportProblem}'s cost (marginals ignored):
 * {@code min(n, m)} pairs, minimising or maximising the total. Orients and negates a working copy
 * when needed, so the cost itself is never modified.
 */
public final class LinearAssignment {
    private LinearAssignment() {
    }

    /**
     * @return the 0/1 plan, the total of the original costs over the chosen pairs, and dual
     *         potentials: {@code u_i + v_j <= C_ij} (minimising) or {@code >=} (maximising), with
     *         equality on chosen pairs; marginal error is reported as 0 (there are no marginals)
     */
    public static TransportResult solve(TransportProblem problem, boolean maximize, ProgressListener progress) {
        int n = problem.n();
        int m = problem.m();
        double[] cost = problem.cost();
        boolean transposed = n > m;
        int rows = Math.min(n, m);
        int cols = Math.max(n, m);
        double[] work = cost;
        if (transposed || maximize) {
            double sign = maximize ? -1 : 1;
            work = new double[cost.length];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    work[i * cols + j] = sign * (transposed ? cost[j * m + i] : cost[i * cols + j]);
                }
            }
        }
        JonkerVolgenant lap = JonkerVolgenant.solve(work, rows, cols, progress);

        double[] plan = new double[n * m];
        double total = 0;
        int[] assigned = lap.rowToCol();
        double[] u = new double[n];
        double[] v = new double[m];
        double sign = maximize ? -1 : 1;
        double[] colPotential = lap.columnPotentials();
        for (int r = 0; r < rows; r++) {
            int i = transposed ? assigned[r] : r;
            int j = transposed ? r : assigned[r];
            plan[i * m + j] = 1.0;
            total += cost[i * m + j];
        }
        for (int r = 0; r < rows; r++) {
            double ur = sign * lap.rowPotential(r);
            if (transposed) {
                v[r] = ur;
            } else {
                u[r] = ur;
            }
        }
        for (int q = 0; q < cols; q++) {
            double vq = sign * colPotential[q];
            if (transposed) {
                u[q] = vq;
            } else {
                v[q] = vq;
            }
        }
        return new TransportResult(plan, total, lap.augmentations(), 0.0, true, u, v);
    }
}
