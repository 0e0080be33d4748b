package transfuse.solvers.common;

import java.util.Arrays;
import java.util.SplittableRandom;

import transfuse.api.solver.TransportProblem;

/** Test problems and independent reference answers (brute force, vertex enumeration). */
public final class Problems {
    private Problems() {
    }

    /** Costs uniform in [0, 1). */
    public static double[] uniformCosts(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] c = new double[n * m];
        for (int k = 0; k < c.length; k++) {
            c[k] = rnd.nextDouble();
        }
        return c;
    }

    /** Integer costs in {0, ..., levels - 1}: many ties, many optimal plans. */
    public static double[] integerCosts(int n, int m, int levels, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] c = new double[n * m];
        for (int k = 0; k < c.length; k++) {
            c[k] = rnd.nextInt(levels);
        }
        return c;
    }

    public static double[] constantCosts(int n, int m, double value) {
        double[] c = new double[n * m];
        Arrays.fill(c, value);
        return c;
    }

    /** Squared Euclidean distances between random points in the unit square, normalised to max 1. */
    public static double[] pointCloudCosts(int n, int m, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        double[][] y = new double[m][2];
        for (double[] p : x) {
            p[0] = rnd.nextDouble();
            p[1] = rnd.nextDouble();
        }
        for (double[] p : y) {
            p[0] = rnd.nextDouble();
            p[1] = rnd.nextDouble();
        }
        double[] c = new double[n * m];
        double max = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double dx = x[i][0] - y[j][0];
                double dy = x[i][1] - y[j][1];
                c[i * m + j] = dx * dx + dy * dy;
                max = Math.max(max, c[i * m + j]);
            }
        }
        for (int k = 0; k < c.length; k++) {
            c[k] /= max;
        }
        return c;
    }

    /**
     * Random marginals with exactly equal totals: integer weights in {lowest..5} (0 allowed when
     * lowest is 0) over a common integer total, so the only rounding is the final division.
     */
    public static TransportProblem randomMarginals(int n, int m, double[] cost, int lowest, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long[] wa = new long[n];
        long[] wb = new long[m];
        long ta = 0;
        for (int i = 0; i < n; i++) {
            wa[i] = lowest + rnd.nextInt(6 - lowest);
            ta += wa[i];
        }
        if (ta == 0) {
            wa[0] = 1;
            ta = 1;
        }
        long tb = 0;
        for (int j = 0; j < m; j++) {
            wb[j] = lowest + rnd.nextInt(6 - lowest);
            tb += wb[j];
        }
        if (tb == 0) {
            wb[0] = 1;
            tb = 1;
        }
        // Put both on the common total ta * tb.
        double total = (double) ta * tb;
        double[] a = new double[n];
        double[] b = new double[m];
        for (int i = 0; i < n; i++) {
            a[i] = wa[i] * tb / total;
        }
        for (int j = 0; j < m; j++) {
            b[j] = wb[j] * ta / total;
        }
        return new TransportProblem(n, m, cost, a, b);
    }

    /** Minimum total over all injective maps of the smaller side into the larger (brute force). */
    public static double bruteForceAssignment(int n, int m, double[] c, boolean maximize) {
        boolean transposed = n > m;
        int rows = Math.min(n, m);
        int cols = Math.max(n, m);
        double[] best = {maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY};
        enumerate(0, rows, cols, new boolean[cols], 0.0, (r, q) -> transposed ? c[q * m + r] : c[r * m + q],
                maximize, best);
        return best[0];
    }

    private interface Entry {
        double at(int r, int q);
    }

    private static void enumerate(int r, int rows, int cols, boolean[] used, double sum, Entry e,
                                  boolean maximize, double[] best) {
        if (r == rows) {
            best[0] = maximize ? Math.max(best[0], sum) : Math.min(best[0], sum);
            return;
        }
        for (int q = 0; q < cols; q++) {
            if (!used[q]) {
                used[q] = true;
                enumerate(r + 1, rows, cols, used, sum + e.at(r, q), e, maximize, best);
                used[q] = false;
            }
        }
    }

    /**
     * Optimal transport cost by vertex enumeration: every choice of n+m-1 variables (the rank of
     * the transportation constraints) whose square system has a non-negative solution is a
     * vertex of the feasible polytope, and an LP attains its optimum at a vertex. For tiny sizes.
     */
    public static double vertexEnumerationCost(TransportProblem p) {
        int n = p.n();
        int m = p.m();
        int vars = n * m;
        int rank = n + m - 1;
        // Constraints: row sums (n) and the first m-1 column sums (the last is implied).
        double[][] a = new double[rank][vars];
        double[] rhs = new double[rank];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                a[i][i * m + j] = 1;
            }
            rhs[i] = p.a()[i];
        }
        for (int j = 0; j < m - 1; j++) {
            for (int i = 0; i < n; i++) {
                a[n + j][i * m + j] = 1;
            }
            rhs[n + j] = p.b()[j];
        }
        double[] best = {Double.POSITIVE_INFINITY};
        chooseBasis(new int[rank], 0, 0, vars, a, rhs, p.cost(), best);
        return best[0];
    }

    private static void chooseBasis(int[] basis, int k, int start, int vars, double[][] a, double[] rhs,
                                    double[] cost, double[] best) {
        if (k == basis.length) {
            double[] x = solveSquare(a, rhs, basis);
            if (x == null) {
                return;
            }
            double total = 0;
            for (int t = 0; t < basis.length; t++) {
                if (x[t] < -1e-12) {
                    return;
                }
                total += x[t] * cost[basis[t]];
            }
            best[0] = Math.min(best[0], total);
            return;
        }
        for (int v = start; v <= vars - (basis.length - k); v++) {
            basis[k] = v;
            chooseBasis(basis, k + 1, v + 1, vars, a, rhs, cost, best);
        }
    }

    /** Gaussian elimination with partial pivoting on the chosen columns; null when singular. */
    private static double[] solveSquare(double[][] a, double[] rhs, int[] basis) {
        int r = basis.length;
        double[][] mtx = new double[r][r + 1];
        for (int i = 0; i < r; i++) {
            for (int t = 0; t < r; t++) {
                mtx[i][t] = a[i][basis[t]];
            }
            mtx[i][r] = rhs[i];
        }
        for (int col = 0; col < r; col++) {
            int pivot = col;
            for (int i = col + 1; i < r; i++) {
                if (Math.abs(mtx[i][col]) > Math.abs(mtx[pivot][col])) {
                    pivot = i;
                }
            }
            if (Math.abs(mtx[pivot][col]) < 1e-12) {
                return null;
            }
            double[] tmp = mtx[col];
            mtx[col] = mtx[pivot];
            mtx[pivot] = tmp;
            for (int i = 0; i < r; i++) {
                if (i != col && mtx[i][col] != 0) {
                    double f = mtx[i][col] / mtx[col][col];
                    for (int t = col; t <= r; t++) {
                        mtx[i][t] -= f * mtx[col][t];
                    }
                }
            }
        }
        double[] x = new double[r];
        for (int i = 0; i < r; i++) {
            x[i] = mtx[i][r] / mtx[i][i];
        }
        return x;
    }

    /** Row and column sums of a plan. */
    public static double[][] marginals(double[] plan, int n, int m) {
        double[] rows = new double[n];
        double[] cols = new double[m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                rows[i] += plan[i * m + j];
                cols[j] += plan[i * m + j];
            }
        }
        return new double[][] {rows, cols};
    }
}
