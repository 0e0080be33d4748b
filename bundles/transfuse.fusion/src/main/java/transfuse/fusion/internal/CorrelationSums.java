package transfuse.fusion.internal;

/**
 * Streams the Pearson correlation between the neurons of two activation matrices that share
 * rows (the same samples and tokens): sums, sums of squares and the cross product are
 * accumulated batch by batch, so only {@code nA x nB} numbers are held, never the activations.
 * Values are shifted by the first batch's means before summing, which keeps the
 * "sum of squares minus square of sums" formula accurate for neurons with a large mean.
 */
public final class CorrelationSums {
    private final int nA;
    private final int nB;
    private final double[] shiftA;
    private final double[] shiftB;
    private final double[] sumA;
    private final double[] sumB;
    private final double[] sqA;
    private final double[] sqB;
    private final double[] cross;
    private long count;

    public CorrelationSums(int nA, int nB) {
        this.nA = nA;
        this.nB = nB;
        shiftA = new double[nA];
        shiftB = new double[nB];
        sumA = new double[nA];
        sumB = new double[nB];
        sqA = new double[nA];
        sqB = new double[nB];
        cross = new double[Math.multiplyExact(nA, nB)];
    }

    /** Adds {@code rows} rows: {@code a} is [rows, nA], {@code b} is [rows, nB], row-major. */
    public void add(float[] a, float[] b, int rows) {
        if (a.length != (long) rows * nA || b.length != (long) rows * nB) {
            throw new IllegalArgumentException("activation rows do not match: " + a.length + " and " + b.length
                    + " values for " + rows + " rows of " + nA + " and " + nB);
        }
        if (count == 0) {
            columnMeans(a, rows, nA, shiftA);
            columnMeans(b, rows, nB, shiftB);
        }
        double[] x = centred(a, rows, nA, shiftA, sumA, sqA);
        double[] y = centred(b, rows, nB, shiftB, sumB, sqB);
        double[] xy = Gemm.mul(x, rows, nA, true, y, rows, nB, false);
        for (int k = 0; k < xy.length; k++) {
            cross[k] += xy[k];
        }
        count += rows;
    }

    public long count() {
        return count;
    }

    /**
     * The correlation matrix [nA, nB]. A neuron without variance (constant over the samples)
     * correlates 0 with everything: it carries no evidence for matching.
     */
    public Dense correlation() {
        if (count == 0) {
            throw new IllegalStateException("no activations were added");
        }
        double[] stdA = std(sumA, sqA);
        double[] stdB = std(sumB, sqB);
        double[] out = new double[cross.length];
        for (int i = 0; i < nA; i++) {
            double ma = sumA[i] / count;
            for (int j = 0; j < nB; j++) {
                double denom = stdA[i] * stdB[j];
                if (denom > 0) {
                    double cov = cross[i * nB + j] / count - ma * (sumB[j] / count);
                    out[i * nB + j] = Math.max(-1, Math.min(1, cov / denom));
                }
            }
        }
        return new Dense(nA, nB, out);
    }

    private double[] std(double[] sum, double[] sq) {
        double[] s = new double[sum.length];
        for (int i = 0; i < s.length; i++) {
            double m = sum[i] / count;
            double var = sq[i] / count - m * m;
            // Relative to the second moment: below this the "variance" is rounding noise.
            s[i] = var > 1e-12 * Math.max(sq[i] / count, 1e-300) ? Math.sqrt(var) : 0;
        }
        return s;
    }

    /** The column means of a row-major {@code rows x n} batch into {@code out}, which must hold zeros. */
    static void columnMeans(float[] a, int rows, int n, double[] out) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                out[j] += a[r * n + j];
            }
        }
        for (int j = 0; j < n; j++) {
            out[j] /= rows;
        }
    }

    private static double[] centred(float[] a, int rows, int n, double[] shift, double[] sum, double[] sq) {
        double[] x = new double[a.length];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                double v = a[r * n + j] - shift[j];
                x[r * n + j] = v;
                sum[j] += v;
                sq[j] += v * v;
            }
        }
        return x;
    }
}
