package transfuse.solvers.sinkhorn;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;

/**
 * Sinkhorn with epsilon scaling (Schmitzer 2019; POT's {@code sinkhorn_epsilon_scaling}): runs
 * the stabilized iterations at {@code reg_k = max(reg, reg0 e^-k)}, starting from
 * {@code reg0 = max(reg, max |C|)}, each stage warm-started with the previous stage's dual
 * potentials. Intermediate stages only need to bring the potentials close: they stop at
 * {@code max(tol, }{@value #STAGE_TOL}{@code )} or after {@value #STAGE_ITER} iterations (POT's
 * inner default); the last stage, at the requested reg, has the full {@code maxIter} and {@code tol}.
 * Reported iterations are the total over all stages; converged refers to the last stage.
 */
final class EpsilonScalingSinkhorn {
    static final String NAME = "sinkhorn-epsilon";
    private static final int STAGE_ITER = 100;
    private static final double STAGE_TOL = 1e-6;

    private EpsilonScalingSinkhorn() {
    }

    static TransportResult solve(TransportProblem p, SinkhornParameters params, ProgressListener progress) {
        double maxAbs = 0;
        for (double c : p.cost()) {
            maxAbs = Math.max(maxAbs, Math.abs(c));
        }
        double reg = params.reg();
        double current = Math.max(reg, maxAbs);
        try (StabilizedSinkhorn s = new StabilizedSinkhorn(p, params.sign(), NAME)) {
            while (current > reg) {
                s.run(current, STAGE_ITER, Math.max(params.tol(), STAGE_TOL), progress);
                current = Math.max(reg, current * Math.exp(-1));
            }
            StabilizedSinkhorn.Stage last = s.run(reg, params.maxIter(), params.tol(), progress);
            return s.result(last.converged());
        }
    }
}
