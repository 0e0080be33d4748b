package transfuse.solvers.sinkhorn;

import transfuse.api.solver.SolverOptions;
import transfuse.solvers.common.OptionChecks;

/**
 * Validated options of the Sinkhorn family. POT's conventions: at most {@code maxIter}
 * iterations (default 1000, also selected by 0), stop when the L2 norm of the column-marginal
 * violation, checked every {@value #CHECK_EVERY} iterations, is below {@code tol}. With
 * {@code maximize} they solve for {@code -C} (the kernel is {@code exp(C/reg)}) and report the
 * dual potentials of {@code -C} negated; the reported cost is always {@code sum(plan * C)}.
 */
record SinkhornParameters(double reg, int maxIter, double tol, boolean maximize) {
    static final int DEFAULT_MAX_ITER = 1000;
    /** POT checks the error every 10 iterations (after iterations 0, 10, 20, ... in its 0-based count). */
    static final int CHECK_EVERY = 10;

    static SinkhornParameters of(SolverOptions options) {
        return new SinkhornParameters(OptionChecks.reg(options), OptionChecks.maxIter(options, DEFAULT_MAX_ITER),
                OptionChecks.tol(options), options.maximize());
    }

    /** The solvers work on {@code sign * C}: -1 maximises the total cost, as the options contract says. */
    double sign() {
        return maximize ? -1 : 1;
    }

    /** Whether the error is checked after the {@code done}-th iteration (1-based), as POT does. */
    static boolean checkAfter(int done) {
        return (done - 1) % CHECK_EVERY == 0;
    }
}
