package transfuse.fusion.internal;

/** Mean absolute activation per neuron, streamed: the weights of the weighted residual policies. */
public final class MeanMagnitude {
    private final double[] sum;
    private long count;

    public MeanMagnitude(int n) {
        sum = new double[n];
    }

    public void add(float[] a, int rows) {
        int n = sum.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                sum[j] += Math.abs(a[r * n + j]);
            }
        }
        count += rows;
    }

    public double[] mean() {
        double[] m = new double[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = count == 0 ? 0 : sum[j] / count;
        }
        return m;
    }
}
