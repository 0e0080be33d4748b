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
    private final INDArray cost;
    private final INDArray k;
    private final INDArray a;
    private final INDArray b;
    private final INDArray alpha;
    private final INDArray beta;
    private final INDArray u;
    private final INDArray v;
    private final INDArray ktu;
    private final INDArray kv;
    private final INDArray scratch;
    private double reg = Double.NaN;
    private int total;

    /** Outcome of one run at a fixed reg. */
    record Stage(int iterations, boolean converged, double error) {
    }

    StabilizedSinkhorn(TransportProblem p, String name) {
        this.p = p;
        this.name = name;
        int n = p.n();
        int m = p.m();
        cost = Nd4j.create(p.cost(), new long[] {n, m}, 'c');
        k = Nd4j.create(DataType.DOUBLE, n, m);
        a = Nd4j.create(p.a(), new long[] {n, 1}, 'c');
        b = Nd4j.create(p.b(), new long[] {m, 1}, 'c');
        alpha = Nd4j.zeros(DataType.DOUBLE, n, 1);
        beta = Nd4j.zeros(DataType.DOUBLE, m, 1);
        u = Nd4j.valueArrayOf(new long[] {n, 1}, 1.0 / n, DataType.DOUBLE);
        v = Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / m, DataType.DOUBLE);
        ktu = Nd4j.create(DataType.DOUBLE, m, 1);
        kv = Nd4j.create(DataType.DOUBLE, n, 1);
        scratch = Nd4j.create(DataType.DOUBLE, m, 1);
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        try (StabilizedSinkhorn s = new StabilizedSinkhorn(p, NAME)) {
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
        Nd4j.gemm(k, u, ktu, true, false, 1.0, 0.0);
        int done = 0;
        double err = Double.NaN;
        while (done < maxIter) {
            v.assign(ktu).addi(GUARD).rdivi(b);
            Nd4j.gemm(k, v, kv, false, false, 1.0, 0.0);
            u.assign(kv).addi(GUARD).rdivi(a);
            done++;
            total++;
            if (!SinkhornKnopp.finite(u) || !SinkhornKnopp.finite(v)) {
                throw NumericalFailure.underflow(name, total, reg);
            }
            if (Math.max(u.maxNumber().doubleValue(), v.maxNumber().doubleValue()) > TAU) {
                absorb();
                rebuildKernel();
            }
            Nd4j.gemm(k, u, ktu, true, false, 1.0, 0.0);
            if (SinkhornParameters.checkAfter(done)) {
                err = scratch.assign(v).muli(ktu).subi(b).norm2Number().doubleValue();
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
        alpha.addi(Transforms.log(u, true).muli(reg));
        beta.addi(Transforms.log(v, true).muli(reg));
        u.assign(1.0);
        v.assign(1.0);
    }

    private void rebuildKernel() {
        k.assign(cost).subiColumnVector(alpha).subiRowVector(beta.reshape(1, beta.length())).muli(-1.0 / reg);
        Transforms.exp(k, false);
    }

    int totalIterations() {
        return total;
    }

    /** The plan at the current state; dual potentials are {@code alpha + reg log u}, {@code beta + reg log v}. */
    TransportResult result(boolean converged) {
        cost.close();
        return ScalingResult.fromKernel(p, k, u, v, reg, total, converged, name, alpha, beta);
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
