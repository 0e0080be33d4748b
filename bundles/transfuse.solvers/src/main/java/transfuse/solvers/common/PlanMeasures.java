package transfuse.solvers.common;

/** Quantities every solver reports about the plan it returns, computed the same way for all. */
public final class PlanMeasures {
    private PlanMeasures() {
    }

    /** {@code sum(plan * cost)}, summed row by row in index order (deterministic). */
    public static double cost(double[] plan, double[] cost) {
        double total = 0;
        for (int k = 0; k < plan.length; k++) {
            double p = plan[k];
            if (p != 0) {
                total += p * cost[k];
            }
        }
        return total;
    }

    /**
     * L2 norm of the violation of both marginals, {@code sqrt(|plan 1 - a|^2 + |plan^T 1 - b|^2)}.
     */
    public static double marginalError(double[] plan, int n, int m, double[] a, double[] b) {
        double[] colSums = new double[m];
        double rowError = 0;
        for (int i = 0; i < n; i++) {
            double rowSum = 0;
            int offset = i * m;
            for (int j = 0; j < m; j++) {
                double p = plan[offset + j];
                rowSum += p;
                colSums[j] += p;
            }
            double d = rowSum - a[i];
            rowError += d * d;
        }
        return Math.sqrt(rowError + squaredDistance(colSums, b));
    }

    /** {@code |x - y|^2}. */
    public static double squaredDistance(double[] x, double[] y) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            double d = x[j] - y[j];
            s += d * d;
        }
        return s;
    }
}
