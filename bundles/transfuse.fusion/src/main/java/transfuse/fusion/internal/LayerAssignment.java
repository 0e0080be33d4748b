package transfuse.fusion.internal;

import transfuse.api.TransfuseException;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/**
 * Which layer of the other model stands in for each anchor layer, by exact optimal transport
 * over the layer costs with one unit of mass per layer and a slack for the depth difference:
 * <ul>
 * <li>other model shallower (L_B &lt; L_A): the columns get a slack column of mass L_A - L_B whose
 * cost for anchor layer i is its smallest cost; every model layer is used at least once and an
 * anchor layer sent to the slack takes its cheapest layer (a duplicate);</li>
 * <li>other model deeper (L_B &gt; L_A): the rows get a slack row of mass L_B - L_A at cost 0;
 * the model layers sent to it are dropped;</li>
 * <li>equal depth: a plain assignment.</li>
 * </ul>
 * With integral marginals the transport polytope's vertices are 0/1, so the plan is an assignment
 * and each anchor layer takes the model layer that received its mass (the largest entry of its
 * row; ties, which only a solver returning a non-vertex optimum could leave, go to the lower cost
 * and then the lower index). Uniform marginals (1/L_A, 1/L_B) were tried first and are wrong for
 * this purpose: mass conservation makes the coupling cascade down the diagonal, so the argmax of a
 * row can miss an exact (cost 0) match. The map is not forced to be monotone.
 *
 * @param map  per anchor layer, the other model's layer
 * @param plan the coupling restricted to real layers, {@code L_A x L_B} row-major, 0/1 entries
 * @param cost the transport cost {@code sum(plan * cost)}, slack included
 */
public record LayerAssignment(int[] map, double[] plan, double cost) {
    /** Relative mass difference below which two entries of a row count as equal. */
    private static final double TIE = 1e-9;

    public static LayerAssignment solve(int layersA, int layersB, double[] cost, TransportSolver solver) {
        int rows = layersB > layersA ? layersA + 1 : layersA;
        int cols = layersA > layersB ? layersB + 1 : layersB;
        double[] c = new double[rows * cols];
        double[] a = new double[rows];
        double[] b = new double[cols];
        for (int i = 0; i < rows; i++) {
            a[i] = i < layersA ? 1 : layersB - layersA;
            for (int j = 0; j < cols; j++) {
                if (i < layersA && j < layersB) {
                    c[i * cols + j] = cost[i * layersB + j];
                } else if (i < layersA) {
                    c[i * cols + j] = cost[i * layersB + cheapest(cost, i, layersB)];
                }
            }
        }
        for (int j = 0; j < cols; j++) {
            b[j] = j < layersB ? 1 : layersA - layersB;
        }
        TransportResult r = solver.solve(new TransportProblem(rows, cols, c, a, b), SolverOptions.DEFAULTS,
                ProgressListener.NONE);
        if (!r.converged()) {
            throw new TransfuseException("depth alignment: solver " + solver.name() + " did not converge on the "
                    + layersA + " x " + layersB + " layer problem");
        }
        double[] p = r.plan();
        double[] plan = new double[layersA * layersB];
        int[] map = new int[layersA];
        for (int i = 0; i < layersA; i++) {
            for (int j = 0; j < layersB; j++) {
                plan[i * layersB + j] = p[i * cols + j];
            }
            int best = 0;
            for (int j = 1; j < cols; j++) {
                double x = p[i * cols + j];
                double y = p[i * cols + best];
                double scale = Math.max(Math.abs(x), Math.abs(y));
                if (x - y > TIE * scale || (Math.abs(x - y) <= TIE * scale && c[i * cols + j] < c[i * cols + best])) {
                    best = j;
                }
            }
            map[i] = best < layersB ? best : cheapest(cost, i, layersB);
        }
        return new LayerAssignment(map, plan, r.cost());
    }

    /** The model layer of least cost for anchor layer i (the lower index on a tie). */
    private static int cheapest(double[] cost, int i, int layersB) {
        int best = 0;
        for (int j = 1; j < layersB; j++) {
            if (cost[i * layersB + j] < cost[i * layersB + best]) {
                best = j;
            }
        }
        return best;
    }
}
