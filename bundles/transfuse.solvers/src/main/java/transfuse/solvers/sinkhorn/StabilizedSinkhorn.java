package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;

/**
 * Sinkhorn with absorption of large scalings into dual potentials (Schmitzer 2019; POT's
 * {@code sinkhorn_stabilized}): the kernel is {@code K = exp(-(C - alpha - beta)/reg)} and the
 * plan {@code diag(u) K diag(v)}. When a scaling exceeds {@value #TAU} (POT's tau), it is moved
 * into {@code alpha, beta} and K is rebuilt from C, so entries that had underflowed come back.
 * Also the inner solver of {@link EpsilonScalingSinkhorn}, which runs stages at decreasing reg
 * with the potentials carried over.
 * <p>
 * Live n x m buffers: the caller's cost, its ND4J copy (needed to rebuild K) and K; the copy is
 * released before the plan is copied out, so at most three at any time.
 */
final class StabilizedSinkhorn implements AutoCloseable {
    static final String NAME = "sinkhorn-stabilized";
    private static final double TAU = 1e3;
    /** Keeps 0 / 0 out when a kernel column vanishes; the huge scaling that follows is absorbed. */
    private static final double GUARD = Double.MIN_NORMAL;

    private final TransportProblem p;
    private final String name;
    private final double sign;
    private final int n;
    private final int m;
    private final INDArray cost;
    private final INDArray k;
    private final KernelProducts products;
    private final double[] alpha;
    private final double[] beta;
    private final double[] u;
    private final double[] v;
    private double reg = Double.NaN;
    private int total;

    /** Outcome of one run at a fixed reg. */
    record Stage(int iterations, boolean converged, double error) {
    }

    /** @param sign -1 to maximise: the kernel is built from {@code -C} */
    StabilizedSinkhorn(TransportProblem p, double sign, String name) {
        this.p = p;
        this.sign = sign;
        this.name = name;
        n = p.n();
        m = p.m();
        cost = Nd4j.create(p.cost(), new long[] {n, m}, 'c');
        if (sign < 0) {
            cost.negi();
        }
        k = Nd4j.create(DataType.DOUBLE, n, m);
        products = new KernelProducts(k);
        alpha = new double[n];
        beta = new double[m];
        u = KernelProducts.filled(n, 1.0 / n);
        v = KernelProducts.filled(m, 1.0 / m);
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        try (StabilizedSinkhorn s = new StabilizedSinkhorn(p, params.sign(), NAME)) {
            Stage stage = s.run(params.reg(), params.maxIter(), params.tol(), progress);
            return s.result(stage.converged());
        }
    }

    /** Runs at most {@code maxIter} iterations at {@code newReg}, starting from the current potentials. */
    Stage run(double newReg, int maxIter, double tol, ProgressListener progress) {
        if (newReg != reg) {
            absorb();
            reg = newReg;
            rebuildKernel();
        }
        double[] a = p.a();
        double[] b = p.b();
        double[] ktu = products.transposeTimes(u);
        int done = 0;
        double err = Double.NaN;
        while (done < maxIter) {
            for (int j = 0; j < m; j++) {
                v[j] = b[j] / (ktu[j] + GUARD);
            }
            double[] kv = products.times(v);
            for (int i = 0; i < n; i++) {
                u[i] = a[i] / (kv[i] + GUARD);
            }
            done++;
            total++;
            if (!KernelProducts.usable(u, a) || !KernelProducts.usable(v, b)) {
                throw NumericalFailure.underflow(name, total, reg);
            }
            if (Math.max(max(u), max(v)) > TAU) {
                absorb();
                rebuildKernel();
            }
            ktu = products.transposeTimes(u);
            if (SinkhornParameters.checkAfter(done)) {
                err = KernelProducts.productError(v, ktu, b);
                progress.progress(name, total, -1, "reg " + reg + ", marginal error " + err);
                if (err < tol) {
                    return new Stage(done, true, err);
                }
            }
        }
        return new Stage(done, false, err);
    }

    /**
     * Moves the scalings into the potentials: {@code alpha += reg log u}, {@code u = 1} (likewise
     * for v). Resetting to 1 rather than POT's 1/n keeps the plan unchanged across the move.
     */
    private void absorb() {
        if (Double.isNaN(reg)) {
            return;
        }
        for (int i = 0; i < n; i++) {
            alpha[i] += reg * Math.log(u[i]);
            u[i] = 1;
        }
        for (int j = 0; j < m; j++) {
            beta[j] += reg * Math.log(v[j]);
            v[j] = 1;
        }
    }

    private void rebuildKernel() {
        INDArray alphaColumn = Nd4j.create(alpha, new long[] {n, 1}, 'c');
        INDArray betaRow = Nd4j.create(beta, new long[] {1, m}, 'c');
        k.assign(cost).subiColumnVector(alphaColumn).subiRowVector(betaRow).muli(-1.0 / reg);
        Transforms.exp(k, false);
    }

    private static double max(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double d : x) {
            max = Math.max(max, d);
        }
        return max;
    }

    /** The plan at the current state; dual potentials are {@code alpha + reg log u}, {@code beta + reg log v}. */
    TransportResult result(boolean converged) {
        cost.close();
        return ScalingResult.fromKernel(p, k, u, v, reg, sign, total, converged, name, alpha, beta);
    }

    @Override
    public void close() {
        if (!cost.wasClosed()) {
            cost.close();
        }
        if (!k.wasClosed()) {
            k.close();
        }
    }
}
