package transfuse.fusion.align;

import transfuse.api.align.SpaceMatch;
import transfuse.fusion.internal.Gemm;

/**
 * The ground cost between the anchor's neurons (rows) and the other model's (columns): the
 * Euclidean distance between their evidence vectors, divided by its maximum (so costs lie in
 * [0, 1] and one {@code reg} suits every layer).
 */
final class CostMatrix {
    private CostMatrix() {
    }

    static double[] of(SpaceMatch m) {
        double[] d = m.hasCorrelation() ? fromCorrelation(m.correlation().toDoubles()) : fromFeatures(m);
        double max = 0;
        for (double x : d) {
            max = Math.max(max, x);
        }
        if (max > 0) {
            for (int i = 0; i < d.length; i++) {
                d[i] /= max;
            }
        }
        return d;
    }

    /**
     * Standardised activation vectors over n rows have squared norm n, so their distance is
     * {@code sqrt(2 n (1 - rho))}; the factor {@code sqrt(2 n)} goes with the normalisation.
     */
    private static double[] fromCorrelation(double[] rho) {
        double[] d = new double[rho.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = Math.sqrt(Math.max(0, 1 - rho[k]));
        }
        return d;
    }

    /**
     * {@code |a|^2 + |b|^2 - 2 a.b}, the cross term by one float32 product (SGEMM, twice DGEMM's
     * speed; the norms stay float64): an error of ~1e-7 |a||b| moves no assignment, and the costs
     * are blurred by the solver's regularisation anyway. This product dominates weight-based
     * alignment (3072 x 3072 x 769 per MLP space of a ViT-B).
     */
    private static double[] fromFeatures(SpaceMatch m) {
        int n = (int) m.featuresA().shape()[0];
        int mm = (int) m.featuresB().shape()[0];
        int f = (int) m.featuresA().shape()[1];
        if (m.featuresB().shape()[1] != f) {
            throw new IllegalArgumentException("space " + m.spaceA().name() + ": feature widths differ");
        }
        double[] a = m.featuresA().toDoubles();
        double[] b = m.featuresB().toDoubles();
        double[] na = rowNorms(a, n, f);
        double[] nb = rowNorms(b, mm, f);
        double[] ab = f == 0 ? new double[n * mm] : Gemm.mul(a, n, f, false, b, mm, f, true, true);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < mm; j++) {
                ab[i * mm + j] = Math.sqrt(Math.max(0, na[i] + nb[j] - 2 * ab[i * mm + j]));
            }
        }
        return ab;
    }

    private static double[] rowNorms(double[] x, int rows, int cols) {
        double[] out = new double[rows];
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                double v = x[i * cols + j];
                s += v * v;
            }
            out[i] = s;
        }
        return out;
    }
}
