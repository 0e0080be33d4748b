package transfuse.fusion.internal;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
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
    /**
     * Float32 conversions go through a chunk of this many values, not a whole float[] copy: for a
     * 3072 x 3072 map or cost that copy was 38 MB of heap per product, which set the heap's peak.
     */
    private static final int CHUNK = 1 << 16;

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
     * for transporting weights, which are stored as float32 anyway, and for weight-distance costs.
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
            try (INDArray x = floats(a, ar, ac); INDArray y = floats(b, br, bc)) {
                return sgemm(x, y, ta, tb, m, n);
            }
        }
        try (INDArray x = doubles(a, ar, ac); INDArray y = doubles(b, br, bc);
             INDArray z = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {m, n}, 'c')) {
            Nd4j.gemm(x, y, z, ta, tb, 1.0, 0.0);
            Nd4j.getAffinityManager().ensureLocation(z, AffinityManager.Location.HOST);
            double[] out = new double[m * n];
            z.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
            return out;
        }
    }

    /**
     * {@code map * op(b)}, in float32 for large products: a transport map is kept in float32
     * ({@link TransportMap}) and copied into ND4J as it is.
     */
    public static double[] mul(TransportMap map, double[] b, int br, int bc, boolean tb) {
        int m = map.rows();
        int k = map.cols();
        int n = tb ? br : bc;
        if (k != (tb ? bc : br)) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + (tb ? bc : br));
        }
        if ((long) m * n * k <= SMALL) {
            return small(map.widened(), k, false, b, bc, tb, m, n, k);
        }
        try (INDArray x = floats(map); INDArray y = floats(b, br, bc)) {
            return sgemm(x, y, false, tb, m, n);
        }
    }

    /** {@code a * map^T}: the map applied along the last axis of a row-major {@code ar x ac} matrix. */
    public static double[] mulTransposed(double[] a, int ar, int ac, TransportMap map) {
        int m = ar;
        int k = ac;
        int n = map.rows();
        if (k != map.cols()) {
            throw new IllegalArgumentException("inner dimensions differ: " + k + " vs " + map.cols());
        }
        if ((long) m * n * k <= SMALL) {
            return small(a, ac, false, map.widened(), map.cols(), true, m, n, k);
        }
        try (INDArray x = floats(a, ar, ac); INDArray y = floats(map)) {
            return sgemm(x, y, false, true, m, n);
        }
    }

    /** The float32 product, its result widened to float64 through a chunk (no whole float[] copy on the heap). */
    private static double[] sgemm(INDArray x, INDArray y, boolean ta, boolean tb, int m, int n) {
        try (INDArray z = Nd4j.createUninitialized(DataType.FLOAT, new long[] {m, n}, 'c')) {
            Nd4j.gemm(x, y, z, ta, tb, 1.0, 0.0);
            Nd4j.getAffinityManager().ensureLocation(z, AffinityManager.Location.HOST);
            FloatBuffer result = z.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
            double[] out = new double[m * n];
            float[] chunk = new float[Math.min(CHUNK, Math.max(out.length, 1))];
            for (int from = 0; from < out.length; from += chunk.length) {
                int len = Math.min(chunk.length, out.length - from);
                result.get(chunk, 0, len);
                for (int i = 0; i < len; i++) {
                    out[from + i] = chunk[i];
                }
            }
            return out;
        }
    }

    private static INDArray floats(TransportMap map) {
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, new long[] {map.rows(), map.cols()}, 'c');
        x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().put(map.v());
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        return x;
    }

    /*
     * Copies go through a direct-buffer view of the native memory in bulk copies: ND4J's create(array) and
     * asDouble() copy element by element with index checks, which cost more than the product.
     */
    private static INDArray floats(double[] v, int rows, int cols) {
        INDArray x = Nd4j.createUninitialized(DataType.FLOAT, new long[] {rows, cols}, 'c');
        FloatBuffer dst = x.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
        float[] chunk = new float[Math.min(CHUNK, Math.max(v.length, 1))];
        for (int from = 0; from < v.length; from += chunk.length) {
            int len = Math.min(chunk.length, v.length - from);
            for (int i = 0; i < len; i++) {
                chunk[i] = (float) v[from + i];
            }
            dst.put(chunk, 0, len);
        }
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        return x;
    }

    private static INDArray doubles(double[] v, int rows, int cols) {
        INDArray x = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {rows, cols}, 'c');
        x.data().asNio().order(ByteOrder.nativeOrder()).asDoubleBuffer().put(v);
        Nd4j.getAffinityManager().tagLocation(x, AffinityManager.Location.HOST);
        return x;
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
