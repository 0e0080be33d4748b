package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.ndarray.INDArray;

import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.solvers.common.PlanMeasures;

/** Turns scalings {@code (u, v)} of a kernel into the plan {@code diag(u) K diag(v)} and a result. */
final class ScalingResult {
    private ScalingResult() {
    }

    /**
     * Copies the kernel out and scales it into the plan, and reports the plan's cost, its full
     * marginal error and the dual potentials {@code sign (offsetA + reg log u)},
     * {@code sign (offsetB + reg log v)} (offsets may be null: zero; sign -1 when maximising).
     */
    static TransportResult fromKernel(TransportProblem p, INDArray kernel, double[] u, double[] v, double reg,
                                      double sign, int iterations, boolean converged, String solver, double[] offsetA,
                                      double[] offsetB) {
        int n = p.n();
        int m = p.m();
        double[] plan = kernel.data().asDouble();
        double[] c = p.cost();
        double[] a = p.a();
        double[] colSum = new double[m];
        double total = 0;
        double rowError = 0;
        // One pass: scale into the plan, and sum its cost and marginals on the way.
        for (int i = 0; i < n; i++) {
            int off = i * m;
            double ui = u[i];
            double rowSum = 0;
            for (int j = 0; j < m; j++) {
                double x = ui * plan[off + j] * v[j];
                plan[off + j] = x;
                rowSum += x;
                colSum[j] += x;
                total += x * c[off + j];
            }
            if (!Double.isFinite(rowSum)) {
                throw NumericalFailure.underflow(solver, iterations, reg);
            }
            double d = rowSum - a[i];
            rowError += d * d;
        }
        double marginalError = Math.sqrt(rowError + PlanMeasures.squaredDistance(colSum, p.b()));
        double[] f = new double[n];
        double[] g = new double[m];
        for (int i = 0; i < n; i++) {
            f[i] = sign * (reg * Math.log(u[i]) + (offsetA == null ? 0 : offsetA[i]));
        }
        for (int j = 0; j < m; j++) {
            g[j] = sign * (reg * Math.log(v[j]) + (offsetB == null ? 0 : offsetB[j]));
        }
        return new TransportResult(plan, total, iterations, marginalError, converged, f, g);
    }
}
