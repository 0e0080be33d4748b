package transfuse.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SoftmaxRegressionTest {

    /** Three well-separated Gaussian blobs in 5-D (centres 10 sd apart): the probe must classify all of them. */
    @Test
    void separableBlobsAreClassifiedPerfectly() {
        int dim = 5, perClass = 40, classes = 3;
        float[][] centres = {{10, 0, 0, 3, -2}, {0, 10, 0, 3, -2}, {0, 0, 10, 3, -2}};
        Random rnd = new Random(1);
        float[] train = new float[classes * perClass * dim], test = new float[classes * perClass * dim];
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
            for (int j = 0; j < dim; j++) {
                train[i * dim + j] = centres[labels[i]][j] + (float) rnd.nextGaussian();
                test[i * dim + j] = centres[labels[i]][j] + (float) rnd.nextGaussian();
            }
        }
        SoftmaxRegression m = SoftmaxRegression.fit(train, labels, dim, classes, 1e-3);
        assertTrue(m.fitReport().converged(), "L-BFGS reaches the gradient tolerance");
        assertEquals(1.0, m.score(train, labels).accuracy());
        assertEquals(1.0, m.score(test, labels).accuracy());
    }

    /**
     * Constant features carry no information, so only the (unpenalised) biases can fit: the
     * optimum's softmax(b) is the class frequencies (1/6, 2/6, 3/6) and its loss their entropy.
     */
    @Test
    void withoutInformativeFeaturesTheBiasesGiveTheClassFrequencies() {
        int[] labels = {0, 1, 1, 2, 2, 2};
        float[] x = new float[labels.length * 2];
        java.util.Arrays.fill(x, 5f);
        SoftmaxRegression m = SoftmaxRegression.fit(x, labels, 2, 3, 1e-3);
        double z = 0;
        for (int k = 0; k < 3; k++) {
            z += Math.exp(m.bias(k));
        }
        double entropy = 0;
        for (int k = 0; k < 3; k++) {
            double p = (k + 1) / 6.0;
            assertEquals(p, Math.exp(m.bias(k)) / z, 1e-6, "class " + k);
            entropy -= p * Math.log(p);
        }
        assertEquals(entropy, m.score(x, labels).loss(), 1e-9);
    }

    /**
     * x = +1 (class 1) and x = -1 (class 0): by symmetry w1 = -w0 = u, b = 0, and the objective
     * log(1 + e^{-2u}) + l2 u^2 is stationary where l2 u = 1 / (1 + e^{2u}); u is found here
     * independently by bisection.
     */
    @Test
    void twoPointProblemMatchesItsAnalyticStationaryPoint() {
        double l2 = 0.1;
        double lo = 0, hi = 1 / l2;
        for (int i = 0; i < 200; i++) {
            double u = (lo + hi) / 2;
            if (l2 * u < 1 / (1 + Math.exp(2 * u))) {
                lo = u;
            } else {
                hi = u;
            }
        }
        double u = (lo + hi) / 2;
        SoftmaxRegression m = SoftmaxRegression.fit(new float[] {1, -1}, new int[] {1, 0}, 1, 2, l2);
        assertEquals(u, m.weight(1, 0), 1e-5);
        assertEquals(-u, m.weight(0, 0), 1e-5);
        assertEquals(0, m.bias(0), 1e-6);
        assertEquals(0, m.bias(1), 1e-6);
    }

    /** No seed is involved: refitting gives bitwise the same model, and reordering the rows the same optimum. */
    @Test
    void fitIsDeterministicAndIndependentOfRowOrder() {
        int n = 60, dim = 4;
        Random rnd = new Random(7);
        float[] x = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(2);
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (float) (rnd.nextGaussian() + (j == 0 ? y[i] : 0)); // overlapping classes
            }
        }
        SoftmaxRegression a = SoftmaxRegression.fit(x, y, dim, 2, 1e-2);
        SoftmaxRegression b = SoftmaxRegression.fit(x, y, dim, 2, 1e-2);
        assertArrayEquals(weights(a, dim), weights(b, dim));
        float[] xr = new float[n * dim];
        int[] yr = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, (n - 1 - i) * dim, xr, i * dim, dim);
            yr[i] = y[n - 1 - i];
        }
        assertArrayEquals(weights(a, dim), weights(SoftmaxRegression.fit(xr, yr, dim, 2, 1e-2), dim), 1e-5);
    }

    private static double[] weights(SoftmaxRegression m, int dim) {
        double[] w = new double[2 * dim + 2];
        for (int k = 0; k < 2; k++) {
            for (int j = 0; j < dim; j++) {
                w[k * dim + j] = m.weight(k, j);
            }
            w[2 * dim + k] = m.bias(k);
        }
        return w;
    }
}
