package transfuse.fusion.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Matrix products for alignment: small ones in plain Java (no JNI round trip), large ones
 * through ND4J's BLAS (CPU) or cuBLAS. Both are deterministic for a given machine and thread
 * count, so the same inputs give bitwise the same fused weights.
 */
public final class Gemm {
    /** Below this many multiply-adds a Java loop beats copying into ND4J. */
    private static final long SMALL = 1L << 18;

    private Gemm() {
    }

    /**
     * {@code op(a) * op(b)} where {@code a} is stored {@code ar x ac} and {@code b} {@code br x bc},
     * both row-major; {@code op} transposes when asked. Returns the row-major product.
     */
    public static double[] mul(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb) {
        return mul(a, ar, ac, ta, b, br, bc, tb, false);
    }

    /**
     * As above; {@code single} computes large products in float32 (SGEMM, twice the speed): used
     * for transporting weights, which are stored as float32 anyway, never for costs or statistics.
     */
    public static double[] mul(double[] a, int ar, int ac, boolean ta, double[] b, int br, int bc, boolean tb,
                               boolean single) {
        int m = ta ? ac : ar;
        int k = ta ? ar : ac;
        int kb = tb ? bc : br;
        int n = tb ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + kb);
        }
        if ((long) m * n * k <= SMALL) {
            return small(a, ac, ta, b, bc, tb, m, n, k);
        }
        if (single) {
            try (INDArray x = Nd4j.create(toFloats(a), new long[] {ar, ac}, 'c');
                 INDArray y = Nd4j.create(toFloats(b), new long[] {br, bc}, 'c');
                 INDArray z = Nd4j.create(DataType.FLOAT, new long[] {m, n}, 'c')) {
                Nd4j.gemm(x, y, z, ta, tb, 1.0, 0.0);
                return z.data().asDouble();
            }
        }
        try (INDArray x = Nd4j.create(a, new long[] {ar, ac}, 'c');
             INDArray y = Nd4j.create(b, new long[] {br, bc}, 'c');
             INDArray z = Nd4j.create(DataType.DOUBLE, new long[] {m, n}, 'c')) {
            Nd4j.gemm(x, y, z, ta, tb, 1.0, 0.0);
            return z.data().asDouble();
        }
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] small(double[] a, int ac, boolean ta, double[] b, int bc, boolean tb, int m, int n, int k) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = ta ? a[p * ac + i] : a[i * ac + p];
                if (x == 0) {
                    continue;
                }
                int row = i * n;
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        out[row + j] += x * b[j * bc + p];
                    }
                } else {
                    int brow = p * bc;
                    for (int j = 0; j < n; j++) {
                        out[row + j] += x * b[brow + j];
                    }
                }
            }
        }
        return out;
    }
}
