package transfuse.fusion.internal;

import java.util.List;

/**
 * Linear CKA (Kornblith et al., 2019) between every layer of one model and every layer of
 * another, from activations that share rows (the same samples and tokens), streamed batch by
 * batch: per layer the centred Gram X'X and per pair the cross product X'Y are accumulated, so
 * what is held is {@code L_A p^2 + L_B q^2 + L_A L_B p q} numbers, never the activations.
 * <pre>
 * CKA(X, Y) = ||X_c' Y_c||_F^2 / (||X_c' X_c||_F ||Y_c' Y_c||_F),   X_c = X minus its column means
 * </pre>
 * CKA is invariant to orthogonal maps and isotropic scaling of either side, so two layers that
 * hold the same features in another neuron order (or another width) still score 1: it compares
 * layers before their neurons are aligned. As in {@link CorrelationSums}, values are shifted by
 * the first batch's means before summing, which keeps the moment formulas accurate.
 */
public final class LayerSimilarity {
    private final Moments[] a;
    private final Moments[] b;
    private final double[][] cross;

    /** @param widthsA the anchor's widths per layer; {@code widthsB} the other model's */
    public LayerSimilarity(int[] widthsA, int[] widthsB) {
        a = new Moments[widthsA.length];
        b = new Moments[widthsB.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = new Moments(widthsA[i]);
        }
        for (int j = 0; j < b.length; j++) {
            b[j] = new Moments(widthsB[j]);
        }
        cross = new double[a.length * b.length][];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                cross[i * b.length + j] = new double[Math.multiplyExact(widthsA[i], widthsB[j])];
            }
        }
    }

    /** Adds {@code rows} rows: per layer {@code [rows, width]} row-major, the anchor's and the other's. */
    public void add(List<float[]> xs, List<float[]> ys, int rows) {
        double[][] x = new double[a.length][];
        double[][] y = new double[b.length][];
        for (int i = 0; i < a.length; i++) {
            x[i] = a[i].add(xs.get(i), rows);
        }
        for (int j = 0; j < b.length; j++) {
            y[j] = b[j].add(ys.get(j), rows);
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double[] xy = Gemm.mul(x[i], rows, a[i].n, true, y[j], rows, b[j].n, false);
                double[] acc = cross[i * b.length + j];
                for (int k = 0; k < xy.length; k++) {
                    acc[k] += xy[k];
                }
            }
        }
    }

    /**
     * CKA, {@code L_A x L_B} row-major, each in [0, 1]. A layer without variance has nothing to
     * compare and scores 0 against everything.
     */
    public double[] cka() {
        double[] out = new double[a.length * b.length];
        double[] selfA = new double[a.length];
        double[] selfB = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            selfA[i] = Math.sqrt(hsic(a[i], a[i], a[i].gram));
        }
        for (int j = 0; j < b.length; j++) {
            selfB[j] = Math.sqrt(hsic(b[j], b[j], b[j].gram));
        }
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                double denom = selfA[i] * selfB[j];
                double v = denom > 0 ? hsic(a[i], b[j], cross[i * b.length + j]) / denom : 0;
                out[i * b.length + j] = Math.max(0, Math.min(1, v));
            }
        }
        return out;
    }

    /** {@code ||cov(X, Y)||_F^2} from the summed (shifted) cross product and the sums. */
    private static double hsic(Moments x, Moments y, double[] crossSum) {
        double count = x.count;
        double s = 0;
        for (int p = 0; p < x.n; p++) {
            double mx = x.sum[p] / count;
            for (int q = 0; q < y.n; q++) {
                double c = crossSum[p * y.n + q] / count - mx * (y.sum[q] / count);
                s += c * c;
            }
        }
        return s;
    }

    /** One layer's shift, column sums and Gram matrix of the shifted values. */
    private static final class Moments {
        final int n;
        final double[] shift;
        final double[] sum;
        final double[] gram;
        long count;

        Moments(int n) {
            this.n = n;
            shift = new double[n];
            sum = new double[n];
            gram = new double[Math.multiplyExact(n, n)];
        }

        /** Accumulates the batch and returns it shifted, as doubles, for the cross products. */
        double[] add(float[] v, int rows) {
            if (v.length != (long) rows * n) {
                throw new IllegalArgumentException(v.length + " activations for " + rows + " rows of " + n);
            }
            if (count == 0) {
                CorrelationSums.columnMeans(v, rows, n, shift);
            }
            double[] x = new double[v.length];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < n; c++) {
                    double d = v[r * n + c] - shift[c];
                    x[r * n + c] = d;
                    sum[c] += d;
                }
            }
            double[] g = Gemm.mul(x, rows, n, true, x, rows, n, false);
            for (int k = 0; k < g.length; k++) {
                gram[k] += g[k];
            }
            count += rows;
            return x;
        }
    }
}
