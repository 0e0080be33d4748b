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
     * Copies the kernel out and scales it into the plan (the kernel, the plan and the caller's cost
     * are live together: three n x m buffers), and reports as {@link #scaled} does.
     */
    static TransportResult fromKernel(TransportProblem p, INDArray kernel, double[] u, double[] v, double reg,
                                      double sign, int iterations, boolean converged, String solver, double[] offsetA,
                                      double[] offsetB) {
        return scaled(p, kernel.data().asDouble(), false, u, v, reg, sign, iterations, converged, solver, offsetA,
                offsetB);
    }

    /**
     * Recomputes the kernel {@code exp(-sign C / reg)} from the cost while scaling it into the plan, so
     * the caller can free its kernel first: only the cost and the plan are live (two n x m buffers,
     * not three). Java's exp may differ from ND4J's in the last bit (both are within 1 ulp), which
     * moves the plan by ~1e-16 relative against the scalings found with ND4J's kernel.
     */
    static TransportResult fromCost(TransportProblem p, double[] u, double[] v, double reg, double sign,
                                    int iterations, boolean converged, String solver) {
        return scaled(p, new double[Math.multiplyExact(p.n(), p.m())], true, u, v, reg, sign, iterations, converged,
                solver, null, null);
    }

    /**
     * Scales the kernel ({@code plan} holding it, or recomputed from the cost) into the plan in
     * place, and reports the plan's cost, its full marginal error and the dual potentials
     * {@code sign (offsetA + reg log u)}, {@code sign (offsetB + reg log v)} (offsets may be null:
     * zero; sign -1 when maximising).
     */
    private static TransportResult scaled(TransportProblem p, double[] plan, boolean recompute, double[] u,
                                          double[] v, double reg, double sign, int iterations, boolean converged,
                                          String solver, double[] offsetA, double[] offsetB) {
        int n = p.n();
        int m = p.m();
        double[] c = p.cost();
        double scale = -sign / reg; // the factor SinkhornKnopp multiplies the cost by before exp
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
                double k = recompute ? Math.exp(c[off + j] * scale) : plan[off + j];
                double x = ui * k * v[j];
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
