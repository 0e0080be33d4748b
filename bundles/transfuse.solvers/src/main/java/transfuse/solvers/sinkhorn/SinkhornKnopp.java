package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;

/**
 * Standard Sinkhorn-Knopp (Cuturi 2013) as POT's {@code ot.sinkhorn(method='sinkhorn')}:
 * {@code K = exp(-C/reg)}, {@code u = 1/n, v = 1/m}; each iteration {@code v = b / (K^T u)} then
 * {@code u = a / (K v)}. Matrix work is two ND4J GEMVs per iteration (BLAS on CPU, cuBLAS on CUDA).
 * <p>
 * The column-marginal error of iteration k is {@code |v * (K^T u) - b|}, and {@code K^T u} is the
 * first product of iteration k+1, so the check costs no extra pass over K. Live n x m buffers:
 * the caller's cost, K, and finally the returned plan (K is scaled into the plan in place).
 */
final class SinkhornKnopp {
    static final String NAME = "sinkhorn";

    private SinkhornKnopp() {
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        int n = p.n();
        int m = p.m();
        double reg = params.reg();
        INDArray k = Nd4j.create(p.cost(), new long[] {n, m}, 'c');
        try {
            Transforms.exp(k.muli(-1.0 / reg), false);
            INDArray a = Nd4j.create(p.a(), new long[] {n, 1}, 'c');
            INDArray b = Nd4j.create(p.b(), new long[] {m, 1}, 'c');
            INDArray u = Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, DataType.DOUBLE);
            INDArray v = Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / m, DataType.DOUBLE);
            INDArray ktu = Nd4j.create(DataType.DOUBLE, m, 1);
            INDArray kv = Nd4j.create(DataType.DOUBLE, n, 1);
            INDArray scratch = Nd4j.create(DataType.DOUBLE, m, 1);

            Nd4j.gemm(k, u, ktu, true, false, 1.0, 0.0);
            int done = 0;
            boolean converged = false;
            double err = Double.NaN;
            while (done < params.maxIter()) {
                v.assign(b).divi(ktu);
                Nd4j.gemm(k, v, kv, false, false, 1.0, 0.0);
                u.assign(a).divi(kv);
                done++;
                if (!finite(u) || !finite(v)) {
                    throw NumericalFailure.underflow(NAME, done, reg);
                }
                Nd4j.gemm(k, u, ktu, true, false, 1.0, 0.0);
                if (SinkhornParameters.checkAfter(done)) {
                    err = scratch.assign(v).muli(ktu).subi(b).norm2Number().doubleValue();
                    progress.progress(NAME, done, params.maxIter(), "marginal error " + err);
                    if (err < params.tol()) {
                        converged = true;
                        break;
                    }
                }
            }
            return ScalingResult.fromKernel(p, k, u, v, reg, done, converged, NAME);
        } finally {
            k.close();
        }
    }

    /** No NaN or infinity anywhere (NaN and infinities propagate into the sum). */
    static boolean finite(INDArray x) {
        return Double.isFinite(x.sumNumber().doubleValue());
    }
}
