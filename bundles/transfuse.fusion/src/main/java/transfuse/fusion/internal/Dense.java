package transfuse.fusion.internal;

/**
 * A dense row-major matrix of doubles: correlation matrices (rows = anchor's neurons, columns =
 * the other model's). Alignment maps are {@link TransportMap}s (float32).
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

    public double get(int i, int j) {
        return v[i * cols + j];
    }

    public void set(int i, int j, double x) {
        v[i * cols + j] = x;
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
