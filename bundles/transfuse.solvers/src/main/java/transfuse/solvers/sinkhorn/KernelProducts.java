package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix-vector products with an n x m kernel held by ND4J (BLAS GEMV on CPU, cuBLAS on CUDA),
 * taking and returning plain Java vectors.
 * <p>
 * Why the vectors live in Java: every ND4J call opens an OpenMP parallel region, and on a
 * 2-core machine shared with other processes a region with a descheduled thread costs
 * milliseconds. Measured at n = 3072 under load: five small vector ops per iteration cost as
 * much as the two GEMVs; done in Java they cost microseconds. So per iteration only the two
 * products, which need the matrix, go through ND4J.
 */
final class KernelProducts {
    private final INDArray kernel;
    private final INDArray rowVector;   // n x 1 input of K^T x
    private final INDArray colVector;   // m x 1 input of K x
    private final INDArray rowResult;   // n x 1 result of K x
    private final INDArray colResult;   // m x 1 result of K^T x

    KernelProducts(INDArray kernel) {
        this.kernel = kernel;
        long n = kernel.rows();
        long m = kernel.columns();
        rowVector = Nd4j.create(DataType.DOUBLE, n, 1);
        colVector = Nd4j.create(DataType.DOUBLE, m, 1);
        rowResult = Nd4j.create(DataType.DOUBLE, n, 1);
        colResult = Nd4j.create(DataType.DOUBLE, m, 1);
    }

    /** {@code K^T x} for x of length n. */
    double[] transposeTimes(double[] x) {
        rowVector.data().setData(x);
        Nd4j.gemm(kernel, rowVector, colResult, true, false, 1.0, 0.0);
        return colResult.data().asDouble();
    }

    /** {@code K x} for x of length m. */
    double[] times(double[] x) {
        colVector.data().setData(x);
        Nd4j.gemm(kernel, colVector, rowResult, false, false, 1.0, 0.0);
        return rowResult.data().asDouble();
    }

    static double[] filled(int length, double value) {
        double[] x = new double[length];
        java.util.Arrays.fill(x, value);
        return x;
    }

    /**
     * Whether scalings are usable: finite everywhere, and positive wherever the marginal has mass
     * (a scaling that underflowed to 0 silently drops its row or column from the plan).
     */
    static boolean usable(double[] scaling, double[] mass) {
        for (int i = 0; i < scaling.length; i++) {
            double d = scaling[i];
            if (!Double.isFinite(d) || (d == 0 && mass[i] > 0)) {
                return false;
            }
        }
        return true;
    }

    /** {@code |x * y - target|}: the column-marginal error of a plan diag(u) K diag(v) given v and K^T u. */
    static double productError(double[] x, double[] y, double[] target) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double d = x[j] * y[j] - target[j];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
