package transfuse.fusion.internal;

/**
 * A dense row-major matrix of doubles: alignment maps (rows = anchor's neurons, columns = the
 * other model's) and correlation matrices.
 */
public record Dense(int rows, int cols, double[] v) {
    public Dense {
        if (v.length != (long) rows * cols) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix with " + v.length + " values");
        }
    }

    public static Dense zeros(int rows, int cols) {
        return new Dense(rows, cols, new double[Math.multiplyExact(rows, cols)]);
    }

    public static Dense identity(int n) {
        Dense d = zeros(n, n);
        for (int i = 0; i < n; i++) {
            d.v[i * n + i] = 1;
        }
        return d;
    }

    public double get(int i, int j) {
        return v[i * cols + j];
    }

    public void set(int i, int j, double x) {
        v[i * cols + j] = x;
    }

    /** True for a square identity (lets the engine skip transporting an axis). */
    public boolean isIdentity() {
        if (rows != cols) {
            return false;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (v[i * cols + j] != (i == j ? 1.0 : 0.0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Each non-zero row scaled to sum 1: the barycentric projection, so an anchor neuron receives
     * a convex combination of the other model's neurons (used on output axes).
     */
    public Dense rowNormalised() {
        double[] out = v.clone();
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += out[i * cols + j];
            }
            if (s != 0) {
                for (int j = 0; j < cols; j++) {
                    out[i * cols + j] /= s;
                }
            }
        }
        return new Dense(rows, cols, out);
    }

    /**
     * Each non-zero column scaled to sum 1: on input axes a source neuron's outgoing weight is
     * split over the anchor neurons it went to, so a layer's total input is kept (for an OT plan
     * with uniform marginals this is the plan times the source width).
     */
    public Dense colNormalised() {
        // Row-major passes: a column-by-column walk of a 3072 x 3072 map misses the cache on every element.
        double[] sums = new double[cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sums[j] += v[i * cols + j];
            }
        }
        double[] out = v.clone();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                if (sums[j] != 0) {
                    out[i * cols + j] /= sums[j];
                }
            }
        }
        return new Dense(rows, cols, out);
    }

    /** {@code wa * a + wb * b}, with per-row weights when {@code rowWeights} is not null. */
    public static Dense blend(Dense a, Dense b, double[] rowWeights, double scalarWeight) {
        if (a.rows != b.rows || a.cols != b.cols) {
            throw new IllegalArgumentException("blending " + a.rows + "x" + a.cols + " with " + b.rows + "x" + b.cols);
        }
        double[] out = new double[a.v.length];
        for (int i = 0; i < a.rows; i++) {
            double w = rowWeights == null ? scalarWeight : rowWeights[i];
            for (int j = 0; j < a.cols; j++) {
                int k = i * a.cols + j;
                out[k] = w * a.v[k] + (1 - w) * b.v[k];
            }
        }
        return new Dense(a.rows, a.cols, out);
    }

    /** The mean of several equally shaped matrices. */
    public static Dense mean(java.util.List<Dense> ms) {
        Dense first = ms.get(0);
        double[] out = new double[first.v.length];
        for (Dense m : ms) {
            if (m.rows != first.rows || m.cols != first.cols) {
                throw new IllegalArgumentException("averaging matrices of different shapes");
            }
            for (int k = 0; k < out.length; k++) {
                out[k] += m.v[k];
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] /= ms.size();
        }
        return new Dense(first.rows, first.cols, out);
    }
}
