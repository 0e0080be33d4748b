package transfuse.api.solver;

/**
 * Options common to transport solvers. Solvers ignore what does not apply to them
 * (exact EMD has no {@code reg}: see {@link TransportSolver#regularised()}).
 *
 * @param reg      entropic regularisation epsilon (Sinkhorn family); must be finite and positive there.
 *                 It depends on the scale of the cost, so it has no default: the caller chooses
 * @param maxIter  iteration limit; reaching it is reported in the result, never silent
 * @param tol      stopping tolerance on the marginal violation (Sinkhorn family)
 * @param maximize maximise instead of minimise the total cost (solvers negate the cost)
 */
public record SolverOptions(double reg, int maxIter, double tol, boolean maximize) {
    /**
     * POT's defaults: 1000 iterations, tolerance 1e-9. No reg (NaN): a regularised solver refuses
     * these until {@link #withReg} sets one; exact solvers ignore it.
     */
    public static final SolverOptions DEFAULTS = new SolverOptions(Double.NaN, 1000, 1e-9, false);

    public SolverOptions withReg(double r) {
        return new SolverOptions(r, maxIter, tol, maximize);
    }

    public SolverOptions withMaxIter(int n) {
        return new SolverOptions(reg, n, tol, maximize);
    }

    public SolverOptions withTol(double t) {
        return new SolverOptions(reg, maxIter, t, maximize);
    }

    public SolverOptions withMaximize(boolean m) {
        return new SolverOptions(reg, maxIter, tol, m);
    }
}
