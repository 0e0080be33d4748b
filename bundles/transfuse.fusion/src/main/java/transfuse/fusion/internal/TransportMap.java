package transfuse.fusion.internal;

import transfuse.api.align.SpaceMap;

/**
 * An alignment map held by the engine: row-major, rows = the anchor's neurons, columns = the
 * other model's, in float32.
 * <p>
 * Why float32: every product that uses a map is a float32 product (SGEMM, {@link Gemm}), so a
 * float64 copy bought no precision, and a 3072 x 3072 MLP map and its column-normalised form are
 * live together while the MLP's output projection is written (2 x 72 MiB as float64, 2 x 36 MiB
 * here). Aligners return float64 ({@link SpaceMap}); the engine converts once when it takes the map.
 * A permutation's 0/1 entries and the sums of 1 that normalisation aims at are exact in float32;
 * other entries are rounded once (relative error below 6e-8). Arithmetic on maps (column sums,
 * blends) is done in float64 and rounded once per entry.
 */
public record TransportMap(int rows, int cols, float[] v) {
    public TransportMap {
        if (v.length != (long) rows * cols) {
            throw new IllegalArgumentException(rows + " x " + cols + " map with " + v.length + " values");
        }
    }

    /** The aligner's map, rounded to float32 (the float64 array is left to the collector). */
    public static TransportMap of(SpaceMap m) {
        double[] t = m.t();
        float[] v = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = (float) t[i];
        }
        return new TransportMap(m.rows(), m.cols(), v);
    }

    public static TransportMap identity(int n) {
        float[] v = new float[Math.multiplyExact(n, n)];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        return new TransportMap(n, n, v);
    }

    public float get(int i, int j) {
        return v[i * cols + j];
    }

    /** True for a square identity (lets the engine skip transporting an axis). */
    public boolean isIdentity() {
        if (rows != cols) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (v[i * cols + j] != (i == j ? 1f : 0f)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Each non-zero column scaled to sum 1: on input axes a source neuron's outgoing weight is
     * split over the anchor neurons it went to, so a layer's total input is kept (for an OT plan
     * with uniform marginals this is the plan times the source width). Sums in float64.
     */
    public TransportMap colNormalised() {
        // Row-major passes: a column-by-column walk of a 3072 x 3072 map misses the cache on every element.
        double[] sums = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sums[j] += v[i * cols + j];
            }
        }
        float[] out = new float[v.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                int k = i * cols + j;
                out[k] = sums[j] != 0 ? (float) (v[k] / sums[j]) : v[k];
            }
        }
        return new TransportMap(rows, cols, out);
    }

    /** {@code w a + (1 - w) b}, with per-row weights when {@code rowWeights} is not null. */
    public static TransportMap blend(TransportMap a, TransportMap b, double[] rowWeights, double scalarWeight) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("blending " + a.rows + "x" + a.cols + " with " + b.rows + "x" + b.cols);
        }
        float[] out = new float[a.v.length];
        for (int i = 0; i < a.rows; i++) {
            double w = rowWeights == null ? scalarWeight : rowWeights[i];
            for (int j = 0; j < a.cols; j++) {
                int k = i * a.cols + j;
                out[k] = (float) (w * a.v[k] + (1 - w) * b.v[k]);
            }
        }
        return new TransportMap(a.rows, a.cols, out);
    }

    /** The entries widened to float64 (for the small products that {@link Gemm} does in Java). */
    double[] widened() {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
