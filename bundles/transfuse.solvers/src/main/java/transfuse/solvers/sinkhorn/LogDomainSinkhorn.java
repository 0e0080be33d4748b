package transfuse.solvers.sinkhorn;

import java.util.Arrays;
import java.util.stream.IntStream;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.solvers.common.PlanMeasures;

/**
 * Log-domain Sinkhorn (POT's {@code sinkhorn_log}, Peyré and Cuturi 2019 §4.4): log-scalings
 * {@code f, g} start at 0 and each iteration sets
 * {@code g = log b - LSE_i(f_i - C_ij/reg)} then {@code f = log a - LSE_j(g_j - C_ij/reg)}, so no
 * exponential of an unshifted {@code -C/reg} is ever formed and any reg works.
 * <p>
 * Speed: a log-sum-exp needs a max and an exp per entry. Here the current potentials are the
 * shift instead of a max, because {@code LSE_j(g_j - C_ij/reg) = -f_i + log sum_j T_ij} with
 * {@code T = exp(f_i + g_j - C_ij/reg)} the current plan, whose entries are bounded: one exp per
 * entry and no max pass. And the row update and the next column sums share one pass: once row i
 * of T is computed and its sum gives the new {@code f_i}, the new row is the old one times
 * {@code a_i / rowsum_i}, so the column sums of the updated plan accumulate in the same sweep.
 * That makes one sequential pass over C, with n x m exps, per iteration; the column-marginal
 * error POT checks is exactly those column sums. Whenever a row or column sum leaves the safe
 * range (the potentials were far off, e.g. at the start), that row or column is done the
 * classic way with an explicit max, so the result is the plain log-sum-exp iteration.
 * <p>
 * This is a plain-Java loop, split over the common fork-join pool by fixed row chunks whose
 * partial column sums are added in chunk order (deterministic whatever the thread count):
 * ND4J's element-wise exp and broadcasts measured several times slower here. Live n x m
 * buffers: only the caller's cost and, at the end, the returned plan.
 */
final class LogDomainSinkhorn {
    static final String NAME = "sinkhorn-log";
    /** A row or column sum of T outside this range is recomputed with an explicit max. */
    private static final double SAFE_MIN = 1e-280;
    private static final double SAFE_MAX = 1e280;
    /** Fixed, so partial sums (and thus results) do not depend on the machine's core count. */
    private static final int CHUNKS = 16;
    /** More unsafe columns than this: redo all columns in two sequential passes rather than strided ones. */
    private static final int STRIDED_LIMIT = 8;

    private final int n;
    private final int m;
    private final double[] c;
    /** {@code sign / reg}: the exponent of a plan entry is {@code f_i + g_j - C_ij * invReg}. */
    private final double invReg;
    private final double[] a;
    private final double[] b;
    private final double[] logA;
    private final double[] logB;
    private final double[] f;
    private final double[] g;
    private final double[] colSum;
    private final int chunks;
    private final double[][] partial;
    private final double[][] rowBuffer;

    private LogDomainSinkhorn(TransportProblem p, double reg, double sign) {
        n = p.n();
        m = p.m();
        c = p.cost();
        invReg = sign / reg;
        a = p.a();
        b = p.b();
        logA = logs(a);
        logB = logs(b);
        f = new double[n];
        g = new double[m];
        for (int i = 0; i < n; i++) {
            f[i] = a[i] > 0 ? 0 : Double.NEGATIVE_INFINITY;
        }
        colSum = new double[m];
        chunks = Math.min(CHUNKS, n);
        partial = new double[chunks][m];
        rowBuffer = new double[chunks][m];
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        LogDomainSinkhorn s = new LogDomainSinkhorn(p, params.reg(), params.sign());
        return s.run(p, params, progress);
    }

    private TransportResult run(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        // g starts at 0 too: one pass gives the column sums of exp(-C/reg), and the column update
        // (exact for any column whose sum is out of range) makes this POT's first half-iteration.
        IntStream.range(0, chunks).parallel().forEach(this::initialColumnSums);
        sumPartials(colSum);
        columnUpdate();
        int done = 0;
        boolean converged = false;
        while (done < params.maxIter()) {
            if (done > 0) {
                columnUpdate();
            }
            IntStream.range(0, chunks).parallel().forEach(this::rowUpdate);
            sumPartials(colSum);
            done++;
            checkFinite(done, params.reg());
            if (SinkhornParameters.checkAfter(done)) {
                double err = Math.sqrt(PlanMeasures.squaredDistance(colSum, b));
                progress.progress(NAME, done, params.maxIter(), "marginal error " + err);
                if (err < params.tol()) {
                    converged = true;
                    break;
                }
            }
        }
        double[] plan = new double[n * m];
        double[] costParts = new double[chunks];
        double[] rowErrorParts = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(k -> {
            double[] cs = partial[k];
            Arrays.fill(cs, 0);
            double total = 0;
            double rowError = 0;
            for (int i = lo(k); i < hi(k); i++) {
                int off = i * m;
                double fi = f[i];
                double rowSum = 0;
                for (int j = 0; j < m; j++) {
                    double x = Math.exp(fi + g[j] - c[off + j] * invReg);
                    plan[off + j] = x;
                    rowSum += x;
                    cs[j] += x;
                    total += x * c[off + j];
                }
                double d = rowSum - a[i];
                rowError += d * d;
            }
            costParts[k] = total;
            rowErrorParts[k] = rowError;
        });
        sumPartials(colSum);
        double total = 0;
        double rowError = 0;
        for (int k = 0; k < chunks; k++) {
            total += costParts[k];
            rowError += rowErrorParts[k];
        }
        double marginalError = Math.sqrt(rowError + PlanMeasures.squaredDistance(colSum, b));
        double reg = params.reg();
        double[] dualA = new double[n];
        double[] dualB = new double[m];
        for (int i = 0; i < n; i++) {
            dualA[i] = params.sign() * reg * f[i];
        }
        for (int j = 0; j < m; j++) {
            dualB[j] = params.sign() * reg * g[j];
        }
        return new TransportResult(plan, total, done, marginalError, converged, dualA, dualB);
    }

    private int lo(int chunk) {
        return (int) ((long) chunk * n / chunks);
    }

    private int hi(int chunk) {
        return (int) ((long) (chunk + 1) * n / chunks);
    }

    /** Column sums of {@code exp(f_i + g_j - C_ij/reg)} over one chunk's rows. */
    private void initialColumnSums(int chunk) {
        double[] cs = partial[chunk];
        Arrays.fill(cs, 0);
        for (int i = lo(chunk); i < hi(chunk); i++) {
            int off = i * m;
            double fi = f[i];
            for (int j = 0; j < m; j++) {
                cs[j] += Math.exp(fi + g[j] - c[off + j] * invReg);
            }
        }
    }

    /**
     * New f for the rows of one chunk, and that chunk's column sums of the updated plan.
     * Row i of {@code exp(f_i + g_j - C_ij/reg)} is computed once into a buffer.
     */
    private void rowUpdate(int chunk) {
        double[] t = rowBuffer[chunk];
        double[] cs = partial[chunk];
        Arrays.fill(cs, 0);
        for (int i = lo(chunk); i < hi(chunk); i++) {
            if (a[i] == 0) {
                continue;
            }
            int off = i * m;
            double fi = f[i];
            double sum = 0;
            for (int j = 0; j < m; j++) {
                double x = Math.exp(fi + g[j] - c[off + j] * invReg);
                t[j] = x;
                sum += x;
            }
            double scale;
            if (sum > SAFE_MIN && sum < SAFE_MAX) {
                scale = a[i] / sum;
                f[i] = fi + logA[i] - Math.log(sum);
            } else {
                f[i] = logA[i] - rowLogSumExp(off);
                fi = f[i];
                for (int j = 0; j < m; j++) {
                    t[j] = Math.exp(fi + g[j] - c[off + j] * invReg);
                }
                scale = 1;
            }
            for (int j = 0; j < m; j++) {
                cs[j] += scale * t[j];
            }
        }
    }

    /** {@code LSE_j(g_j - C_ij/reg)} with the max taken out. */
    private double rowLogSumExp(int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            max = Math.max(max, g[j] - c[off + j] * invReg);
        }
        double sum = 0;
        for (int j = 0; j < m; j++) {
            sum += Math.exp(g[j] - c[off + j] * invReg - max);
        }
        return max + Math.log(sum);
    }

    /** g from the column sums of the current plan; unsafe columns are redone exactly. */
    private void columnUpdate() {
        int unsafe = 0;
        for (int j = 0; j < m; j++) {
            double s = colSum[j];
            if (b[j] == 0) {
                g[j] = Double.NEGATIVE_INFINITY;
            } else if (s > SAFE_MIN && s < SAFE_MAX) {
                g[j] += logB[j] - Math.log(s);
            } else {
                unsafe++;
            }
        }
        if (unsafe > STRIDED_LIMIT) {
            exactColumnUpdate();
        } else if (unsafe > 0) {
            for (int j = 0; j < m; j++) {
                double s = colSum[j];
                if (b[j] != 0 && !(s > SAFE_MIN && s < SAFE_MAX)) {
                    g[j] = logB[j] - columnLogSumExp(j);
                }
            }
        }
    }

    /** {@code LSE_i(f_i - C_ij/reg)} for one column (strided; for the rare unsafe column). */
    private double columnLogSumExp(int j) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, f[i] - c[i * m + j] * invReg);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(f[i] - c[i * m + j] * invReg - max);
        }
        return max + Math.log(sum);
    }

    /** {@code g = log b - LSE_i(f_i - C_ij/reg)} for all columns: a max pass and a sum pass, row-major. */
    private void exactColumnUpdate() {
        IntStream.range(0, chunks).parallel().forEach(k -> {
            double[] mx = partial[k];
            Arrays.fill(mx, Double.NEGATIVE_INFINITY);
            for (int i = lo(k); i < hi(k); i++) {
                int off = i * m;
                double fi = f[i];
                for (int j = 0; j < m; j++) {
                    mx[j] = Math.max(mx[j], fi - c[off + j] * invReg);
                }
            }
        });
        double[] max = new double[m];
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (double[] mx : partial) {
            for (int j = 0; j < m; j++) {
                max[j] = Math.max(max[j], mx[j]);
            }
        }
        IntStream.range(0, chunks).parallel().forEach(k -> {
            double[] s = partial[k];
            Arrays.fill(s, 0);
            for (int i = lo(k); i < hi(k); i++) {
                int off = i * m;
                double fi = f[i];
                for (int j = 0; j < m; j++) {
                    s[j] += Math.exp(fi - c[off + j] * invReg - max[j]);
                }
            }
        });
        double[] sum = new double[m];
        sumPartials(sum);
        for (int j = 0; j < m; j++) {
            g[j] = b[j] == 0 ? Double.NEGATIVE_INFINITY : logB[j] - max[j] - Math.log(sum[j]);
        }
    }

    private void sumPartials(double[] into) {
        Arrays.fill(into, 0);
        for (double[] part : partial) {
            for (int j = 0; j < m; j++) {
                into[j] += part[j];
            }
        }
    }

    private void checkFinite(int iteration, double reg) {
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(f[i]) || f[i] == Double.POSITIVE_INFINITY) {
                throw NumericalFailure.notFinite(NAME, iteration, reg);
            }
        }
        for (int j = 0; j < m; j++) {
            if (Double.isNaN(g[j]) || g[j] == Double.POSITIVE_INFINITY) {
                throw NumericalFailure.notFinite(NAME, iteration, reg);
            }
        }
    }

    private static double[] logs(double[] x) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] > 0 ? Math.log(x[i]) : Double.NEGATIVE_INFINITY;
        }
        return out;
    }
}
