package transfuse.api.solver;

import java.util.Arrays;

import transfuse.api.TransfuseException;

/**
 * Optimal transport between histograms {@code a} (n) and {@code b} (m) with cost C (n x m,
 * row-major). Construction checks the contract every solver relies on and throws a
 * {@link TransfuseException} naming the offending field.
 */
public record TransportProblem(int n, int m, double[] cost, double[] a, double[] b) {
    /** Relative tolerance on |sum a - sum b| (POT's check is similar). */
    public static final double MASS_TOLERANCE = 1e-6;

    public TransportProblem {
        if (n <= 0 || m <= 0) {
            throw new TransfuseException("cost: empty matrix (" + n + " x " + m + ")");
        }
        if (cost.length != (long) n * m) {
            throw new TransfuseException("cost: " + cost.length + " values do not form a " + n + " x " + m + " matrix");
        }
        if (a.length != n) {
            throw new TransfuseException("a: length " + a.length + " does not match the cost's " + n + " rows");
        }
        if (b.length != m) {
            throw new TransfuseException("b: length " + b.length + " does not match the cost's " + m + " columns");
        }
        checkFinite("cost", cost);
        checkMarginal("a", a);
        checkMarginal("b", b);
        double sa = sum(a);
        double sb = sum(b);
        if (Math.abs(sa - sb) > MASS_TOLERANCE * Math.max(sa, sb)) {
            throw new TransfuseException("marginals: sum(a) = " + sa + " and sum(b) = " + sb + " differ");
        }
    }

    /** Uniform marginals 1/n and 1/m. */
    public static TransportProblem uniform(int n, int m, double[] cost) {
        double[] a = new double[n];
        double[] b = new double[m];
        Arrays.fill(a, 1.0 / n);
        Arrays.fill(b, 1.0 / m);
        return new TransportProblem(n, m, cost, a, b);
    }

    public double cost(int i, int j) {
        return cost[i * m + j];
    }

    private static void checkFinite(String field, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new TransfuseException(field + ": non-finite value " + v[i] + " at index " + i);
            }
        }
    }

    private static void checkMarginal(String field, double[] v) {
        checkFinite(field, v);
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0) {
                throw new TransfuseException(field + ": negative mass " + v[i] + " at index " + i);
            }
        }
        if (sum(v) <= 0) {
            throw new TransfuseException(field + ": total mass is zero");
        }
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    @Override
    public String toString() {
        return "TransportProblem[" + n + " x " + m + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransportProblem p && p.n == n && p.m == m && Arrays.equals(p.cost, cost)
                && Arrays.equals(p.a, a) && Arrays.equals(p.b, b);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cost) * 31 + n;
    }
}
