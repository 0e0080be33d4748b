package transfuse.solvers.common;

import transfuse.api.TransfuseException;
import transfuse.api.solver.SolverOptions;

/**
 * Validation of the options a solver actually uses. Messages are one line naming the option
 * (its command-line name without dashes), as front ends print them as-is.
 */
public final class OptionChecks {
    private OptionChecks() {
    }

    /** Entropic regularisation: finite and strictly positive. */
    public static double reg(SolverOptions options) {
        double reg = options.reg();
        if (Double.isNaN(reg)) {
            throw new TransfuseException("reg: not set; this solver is regularised and needs a finite number > 0");
        }
        if (!Double.isFinite(reg) || reg <= 0) {
            throw new TransfuseException("reg: must be a finite number > 0, got " + reg);
        }
        return reg;
    }

    /** Stopping tolerance: finite and strictly positive. */
    public static double tol(SolverOptions options) {
        double tol = options.tol();
        if (!Double.isFinite(tol) || tol <= 0) {
            throw new TransfuseException("tol: must be a finite number > 0, got " + tol);
        }
        return tol;
    }

    /**
     * Iteration limit; 0 asks for the solver's own default.
     *
     * @param solverDefault what 0 stands for
     */
    public static int maxIter(SolverOptions options, int solverDefault) {
        int maxIter = options.maxIter();
        if (maxIter < 0) {
            throw new TransfuseException("max-iter: must be >= 0 (0 = the solver's default), got " + maxIter);
        }
        return maxIter == 0 ? solverDefault : maxIter;
    }
}
