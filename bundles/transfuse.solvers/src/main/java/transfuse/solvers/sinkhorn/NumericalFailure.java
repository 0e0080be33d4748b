package transfuse.solvers.sinkhorn;

import transfuse.api.TransfuseException;

/** The one-line errors of the Sinkhorn family when floating point gives out. */
final class NumericalFailure {
    private NumericalFailure() {
    }

    /** Scalings overflowed or underflowed: exp(-C/reg) has too small a dynamic range for this reg. */
    static TransfuseException underflow(String solver, int iteration, double reg) {
        return new TransfuseException(solver + ": numerical underflow at iteration " + iteration + " (reg " + reg
                + " is too small for these costs: exp(-cost/reg) vanishes); use sinkhorn-log, or a larger reg");
    }

    /** Potentials stopped being numbers (not expected in the log domain; reported rather than returned). */
    static TransfuseException notFinite(String solver, int iteration, double reg) {
        return new TransfuseException(solver + ": potentials became non-finite at iteration " + iteration
                + " (reg " + reg + ")");
    }
}
