package transfuse.fusion.align;

import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.api.progress.ProgressListener;

/** A maximum-score linear assignment through the {@code lap} solver service. */
final class Assignment {
    /** rowToCol[i] = the column assigned to row i, or -1 when there are more rows than columns. */
    final int[] rowToCol;
    final double total;

    private Assignment(int[] rowToCol, double total) {
        this.rowToCol = rowToCol;
        this.total = total;
    }

    static Assignment maximise(TransportSolver lap, double[] score, int n, int m) {
        TransportResult r = lap.solve(TransportProblem.uniform(n, m, score),
                SolverOptions.DEFAULTS.withMaxIter(0).withMaximize(true), ProgressListener.NONE);
        int[] rowToCol = new int[n];
        java.util.Arrays.fill(rowToCol, -1);
        double total = 0;
        double[] p = r.plan();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                if (p[i * m + j] > 0.5) {
                    rowToCol[i] = j;
                    total += score[i * m + j];
                }
            }
        }
        return new Assignment(rowToCol, total);
    }
}
