package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;

/**
 * Standard Sinkhorn-Knopp (Cuturi 2013) as POT's {@code ot.sinkhorn(method='sinkhorn')}:
 * {@code K = exp(-C/reg)}, {@code u = 1/n, v = 1/m}; each iteration {@code v = b / (K^T u)} then
 * {@code u = a / (K v)}. The kernel and its products are ND4J's ({@link KernelProducts}).
 * <p>
 * The column-marginal error of iteration k is {@code |v * (K^T u) - b|}, and {@code K^T u} is the
 * first product of iteration k+1, so the check costs no extra pass over K. Live n x m buffers:
 * the caller's cost and K while iterating; K is freed before the plan is made (recomputed from the
 * cost, {@link ScalingResult#fromCost}), so never more than two at once.
 */
final class SinkhornKnopp {
    static final String NAME = "sinkhorn";

    private SinkhornKnopp() {
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        int n = p.n();
        int m = p.m();
        double reg = params.reg();
        double[] a = p.a();
        double[] b = p.b();
        double[] u = KernelProducts.filled(n, 1.0 / n);
        double[] v = KernelProducts.filled(m, 1.0 / m);
        int done = 0;
        boolean converged = false;
        INDArray k = Nd4j.create(p.cost(), new long[] {n, m}, 'c');
        try {
            Transforms.exp(k.muli(-params.sign() / reg), false);
            KernelProducts products = new KernelProducts(k);
            double[] ktu = products.transposeTimes(u);
            while (done < params.maxIter()) {
                for (int j = 0; j < m; j++) {
                    v[j] = b[j] / ktu[j];
                }
                double[] kv = products.times(v);
                for (int i = 0; i < n; i++) {
                    u[i] = a[i] / kv[i];
                }
                done++;
                // 0/0, x/0, overflow and scalings flushed to 0 all show here: exp(-C/reg) lost its range.
                if (!KernelProducts.usable(u, a) || !KernelProducts.usable(v, b)) {
                    throw NumericalFailure.underflow(NAME, done, reg);
                }
                ktu = products.transposeTimes(u);
                if (SinkhornParameters.checkAfter(done)) {
                    double err = KernelProducts.productError(v, ktu, b);
                    progress.progress(NAME, done, params.maxIter(), "marginal error " + err);
                    if (err < params.tol()) {
                        converged = true;
                        break;
                    }
                }
            }
        } finally {
            k.close();
        }
        return ScalingResult.fromCost(p, u, v, reg, params.sign(), done, converged, NAME);
    }
}
