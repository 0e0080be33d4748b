package transfuse.fusion.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import transfuse.api.align.SpaceMap;

/** Float32 maps: exact for permutations, and products through both Gemm paths agree with float64. */
class TransportMapTest {
    /** A permutation times n (an OT plan of a permutation, rescaled) normalises to exact 0/1 in float32. */
    @Test
    void scaledPermutationNormalisesToExactZeroOne() {
        int n = 37;
        int[] perm = permutation(n, new Random(3));
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + perm[i]] = n * (1.0 / n); // as the OT aligner rescales a plan entry of 1/n
        }
        TransportMap m = TransportMap.of(new SpaceMap("s", n, n, t, Map.of()));
        TransportMap c = m.colNormalised();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(j == perm[i] ? 1f : 0f, c.get(i, j));
            }
        }
        assertTrue(TransportMap.identity(n).isIdentity());
        assertFalse(m.isIdentity());
    }

    /**
     * Map products on the output axis (map x B) and on the last axis (A x map^T), below and above
     * Gemm's size for the Java loop: equal to the float64 product within float32 rounding.
     */
    @Test
    void mapProductsMatchFloat64Products() {
        Random r = new Random(7);
        for (int size : new int[] {8, 200}) {
            int rows = size;
            int cols = size + 3;
            int inner = size / 2 + 1;
            double[] t = gaussian(rows * cols, r);
            TransportMap map = TransportMap.of(new SpaceMap("s", rows, cols, t, Map.of()));
            double[] b = gaussian(cols * inner, r);
            assertClose(plain(t, rows, cols, b, inner), Gemm.mul(map, b, cols, inner, false), cols);
            double[] a = gaussian(inner * cols, r);
            double[] tT = transpose(t, rows, cols);
            assertClose(plain(a, inner, cols, tT, rows), Gemm.mulTransposed(a, inner, cols, map), cols);
        }
    }

    private static void assertClose(double[] expected, double[] actual, int k) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            // Gaussian entries: a sum of k products has magnitude ~sqrt(k); float32 rounding ~1e-7 per term.
            assertEquals(expected[i], actual[i], 1e-5 * k, "entry " + i);
        }
    }

    private static double[] plain(double[] a, int m, int k, double[] b, int n) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += a[i * k + p] * b[p * n + j];
                }
            }
        }
        return out;
    }

    private static double[] transpose(double[] a, int rows, int cols) {
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
        return out;
    }

    private static double[] gaussian(int n, Random r) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int x = p[i];
            p[i] = p[j];
            p[j] = x;
        }
        return p;
    }
}
