package transfuse.probe;

/**
 * Multinomial logistic regression on standardised features, fitted by full-batch L-BFGS: the
 * classifier of the linear probe. It minimises the mean cross-entropy plus
 * {@code (l2 / 2) * ||W||^2} (the bias is not penalised). With {@code l2 > 0} the objective is
 * strictly convex in W, so the fit has one optimum whatever the start or the order of the rows,
 * and no seed is involved; the iterations start at zero and run until the largest gradient
 * component is below {@link #TOLERANCE} or {@link #MAX_ITERATIONS}.
 *
 * <p>Standardising (training mean and population standard deviation per feature, applied to
 * every later input) makes one L2 strength mean the same for every encoder, whatever the scale of
 * its hidden state; a constant feature is centred to zero and left unscaled.
 */
public final class SoftmaxRegression {
    static final int MAX_ITERATIONS = 1000;
    static final double TOLERANCE = 1e-6;

    private final int dim;
    private final int classes;
    private final double[] mean;
    private final double[] scale;
    /** Row-major [classes, dim] weights, then [classes] biases. */
    private final double[] params;
    private final Lbfgs.Result fit;

    private SoftmaxRegression(int dim, int classes, double[] mean, double[] scale, double[] params, Lbfgs.Result fit) {
        this.dim = dim;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.params = params;
        this.fit = fit;
    }

    /**
     * Fits the classifier.
     *
     * @param features row-major [n, dim]
     * @param labels   n class indices in [0, classes)
     * @param classes  at least 2
     * @param l2       penalty on the weights, {@code >= 0} (0 only for problems with a finite optimum)
     */
    static SoftmaxRegression fit(float[] features, int[] labels, int dim, int classes, double l2) {
        int n = labels.length;
        if (n == 0 || dim <= 0 || (long) n * dim != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected " + n + " x " + dim);
        }
        if (classes < 2 || !(l2 >= 0) || Double.isInfinite(l2)) {
            throw new IllegalArgumentException("need at least 2 classes and a finite l2 >= 0, got " + classes + ", " + l2);
        }
        for (int y : labels) {
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + classes + ")");
            }
        }
        double[] mean = new double[dim];
        double[] scale = new double[dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                mean[j] += features[i * dim + j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double c = features[i * dim + j] - mean[j];
                scale[j] += c * c;
            }
        }
        for (int j = 0; j < dim; j++) {
            double sd = Math.sqrt(scale[j] / n);
            scale[j] = sd > 1e-12 ? 1 / sd : 1;
        }
        double[] x = standardise(features, n, dim, mean, scale);
        Lbfgs.Result r = Lbfgs.minimize((p, grad) -> lossAndGradient(p, grad, x, labels, n, dim, classes, l2),
                new double[classes * dim + classes], MAX_ITERATIONS, TOLERANCE);
        return new SoftmaxRegression(dim, classes, mean, scale, r.x(), r);
    }

    private static double[] standardise(float[] features, int n, int dim, double[] mean, double[] scale) {
        double[] x = new double[n * dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (features[i * dim + j] - mean[j]) * scale[j];
            }
        }
        return x;
    }

    /** Mean cross-entropy + (l2/2)||W||^2 and its gradient, on standardised rows. */
    private static double lossAndGradient(double[] p, double[] grad, double[] x, int[] labels, int n, int dim,
                                          int classes, double l2) {
        java.util.Arrays.fill(grad, 0);
        int bias = classes * dim;
        double[] z = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double lse = logits(p, x, i, dim, classes, z);
            loss += lse - z[labels[i]];
            for (int k = 0; k < classes; k++) {
                double err = (Math.exp(z[k] - lse) - (k == labels[i] ? 1 : 0)) / n;
                grad[bias + k] += err;
                int w = k * dim, row = i * dim;
                for (int j = 0; j < dim; j++) {
                    grad[w + j] += err * x[row + j];
                }
            }
        }
        double penalty = 0;
        for (int j = 0; j < bias; j++) {
            penalty += p[j] * p[j];
            grad[j] += l2 * p[j];
        }
        return loss / n + 0.5 * l2 * penalty;
    }

    /** Writes row i's logits into z and returns their log-sum-exp (max-shifted, so it never overflows). */
    private static double logits(double[] p, double[] x, int i, int dim, int classes, double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < classes; k++) {
            double v = p[classes * dim + k];
            for (int j = 0; j < dim; j++) {
                v += p[k * dim + j] * x[i * dim + j];
            }
            z[k] = v;
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int k = 0; k < classes; k++) {
            sum += Math.exp(z[k] - max);
        }
        return max + Math.log(sum);
    }

    /** Accuracy and mean cross-entropy on raw (unstandardised) features. */
    Score score(float[] features, int[] labels) {
        int n = labels.length;
        if ((long) n * dim != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected " + n + " x " + dim);
        }
        double[] x = standardise(features, n, dim, mean, scale);
        double[] z = new double[classes];
        int correct = 0;
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double lse = logits(params, x, i, dim, classes, z);
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (z[k] > z[best]) {
                    best = k;
                }
            }
            correct += best == labels[i] ? 1 : 0;
            loss += lse - z[labels[i]];
        }
        return new Score(n == 0 ? Double.NaN : (double) correct / n, n == 0 ? Double.NaN : loss / n);
    }

    /** Weight of feature j (standardised) for class k. */
    double weight(int k, int j) {
        return params[k * dim + j];
    }

    double bias(int k) {
        return params[classes * dim + k];
    }

    Lbfgs.Result fitReport() {
        return fit;
    }

    /**
     * @param accuracy fraction classified right
     * @param loss     mean cross-entropy
     */
    public record Score(double accuracy, double loss) {
    }
}
