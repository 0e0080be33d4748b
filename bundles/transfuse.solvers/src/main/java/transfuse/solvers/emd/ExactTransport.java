package transfuse.solvers.emd;

import java.util.SplittableRandom;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.solvers.common.PlanMeasures;

/**
 * Exact optimal transport with {@link NetworkSimplex}: prepares the network (drops zero-mass
 * rows and columns as POT does, relabels the rest by a fixed pseudo-random permutation, orients
 * it so supply nodes are the smaller side, scales costs by a power of two, negated to maximise)
 * and maps the optimal tree back to a plan and dual potentials.
 */
public final class ExactTransport {
    private ExactTransport() {
    }

    /**
     * @param maximize maximise {@code sum(plan * C)}: minimises {@code -C}; the potentials are then
     *                 those of {@code -C} negated ({@code u_i + v_j >= C_ij}, equality on the support)
     */
    public static TransportResult solve(TransportProblem problem, int maxPivots, boolean maximize,
                                        ProgressListener progress) {
        int n = problem.n();
        int m = problem.m();
        double[] c = problem.cost();
        int[] rows = positive(problem.a());
        int[] cols = positive(problem.b());
        // The network numbers nodes in this order, and its block search prices arcs by diagonals
        // ((r, r + q) for one q per block). Real costs are often structured along the input's own
        // index order: two fine-tunes of one base model (bge-small and e5-small) match neuron i to
        // neuron i, so the whole optimum is the single diagonal q = 0, one block in m, and the
        // search then pivots ~1 time per arc (143k pivots at n = 384, 2.3M at n = 1536) instead of
        // ~10-20 per node. A fixed pseudo-random relabelling spreads any structure of the input's
        // order over all blocks, and keeps the result deterministic.
        shuffle(rows, 0x5DEECE66DL);
        shuffle(cols, 0x2545F4914F6CDD1DL);
        boolean transposed = rows.length > cols.length;
        int[] supplyIdx = transposed ? cols : rows;
        int[] demandIdx = transposed ? rows : cols;
        double[] supply = pick(transposed ? problem.b() : problem.a(), supplyIdx);
        double[] demand = pick(transposed ? problem.a() : problem.b(), demandIdx);

        // Scaling by a power of two is exact and keeps the artificial cost and tolerances of order 1.
        double maxAbs = 0;
        for (double x : c) {
            maxAbs = Math.max(maxAbs, Math.abs(x));
        }
        double sign = maximize ? -1 : 1;
        double scale = maxAbs > 0 ? Math.scalb(1.0, -Math.getExponent(maxAbs)) : 1.0;
        double signedScale = sign * scale;
        NetworkSimplex.ArcCost arcCost = transposed
                ? (r, q) -> c[rows[q] * m + cols[r]] * signedScale
                : (r, q) -> c[rows[r] * m + cols[q]] * signedScale;
        NetworkSimplex simplex = new NetworkSimplex(supply, demand, arcCost, maxAbs * scale);
        boolean optimal = simplex.run(maxPivots, progress);
        simplex.recomputePotentials();

        double[] plan = new double[n * m];
        simplex.forEachTreeFlow((r, q, f) -> {
            int i = transposed ? rows[q] : rows[r];
            int j = transposed ? cols[r] : cols[q];
            plan[i * m + j] = f;
        });

        double[] u = new double[n];
        double[] v = new double[m];
        for (int r = 0; r < supplyIdx.length; r++) {
            double d = simplex.supplyDual(r) / scale;   // potentials of sign * C
            if (transposed) {
                v[supplyIdx[r]] = d;
            } else {
                u[supplyIdx[r]] = d;
            }
        }
        for (int q = 0; q < demandIdx.length; q++) {
            double d = simplex.demandDual(q) / scale;
            if (transposed) {
                u[demandIdx[q]] = d;
            } else {
                v[demandIdx[q]] = d;
            }
        }
        completeDuals(problem, sign, rows, cols, u, v);
        center(problem, u, v);
        if (maximize) {
            negate(u);
            negate(v);
        }

        return new TransportResult(plan, PlanMeasures.cost(plan, c), simplex.pivots(),
                PlanMeasures.marginalError(plan, n, m, problem.a(), problem.b()), optimal, u, v);
    }

    /**
     * Zero-mass rows and columns were not in the network; give them the largest potentials that
     * keep {@code u_i + v_j <= C_ij}, so the certificate holds on the whole matrix.
     */
    private static void completeDuals(TransportProblem p, double sign, int[] rows, int[] cols, double[] u,
                                      double[] v) {
        int n = p.n();
        int m = p.m();
        double[] c = p.cost();
        boolean[] activeRow = mask(rows, n);
        boolean[] activeCol = mask(cols, m);
        for (int i = 0; i < n; i++) {
            if (!activeRow[i]) {
                double min = Double.POSITIVE_INFINITY;
                for (int j : cols) {
                    min = Math.min(min, sign * c[i * m + j] - v[j]);
                }
                u[i] = min;
            }
        }
        for (int j = 0; j < m; j++) {
            if (!activeCol[j]) {
                double min = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    min = Math.min(min, sign * c[i * m + j] - u[i]);
                }
                v[j] = min;
            }
        }
    }

    /** Potentials are defined up to {@code (u + k, v - k)}; pick k so {@code a.u = b.v} (as POT's center_dual). */
    private static void center(TransportProblem p, double[] u, double[] v) {
        double au = 0;
        double sa = 0;
        for (int i = 0; i < u.length; i++) {
            au += p.a()[i] * u[i];
            sa += p.a()[i];
        }
        double bv = 0;
        double sb = 0;
        for (int j = 0; j < v.length; j++) {
            bv += p.b()[j] * v[j];
            sb += p.b()[j];
        }
        double k = (bv - au) / (sa + sb);
        for (int i = 0; i < u.length; i++) {
            u[i] += k;
        }
        for (int j = 0; j < v.length; j++) {
            v[j] -= k;
        }
    }

    private static void negate(double[] x) {
        for (int k = 0; k < x.length; k++) {
            x[k] = -x[k];
        }
    }

    private static int[] positive(double[] mass) {
        int count = 0;
        for (double x : mass) {
            if (x > 0) {
                count++;
            }
        }
        int[] idx = new int[count];
        int k = 0;
        for (int i = 0; i < mass.length; i++) {
            if (mass[i] > 0) {
                idx[k++] = i;
            }
        }
        return idx;
    }

    /** Fisher-Yates with a fixed seed: the same problem always gets the same relabelling. */
    private static void shuffle(int[] idx, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = idx.length - 1; k > 0; k--) {
            int other = random.nextInt(k + 1);
            int t = idx[k];
            idx[k] = idx[other];
            idx[other] = t;
        }
    }

    private static double[] pick(double[] values, int[] idx) {
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = values[idx[k]];
        }
        return out;
    }

    private static boolean[] mask(int[] idx, int size) {
        boolean[] mask = new boolean[size];
        for (int i : idx) {
            mask[i] = true;
        }
        return mask;
    }
}
