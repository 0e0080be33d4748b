package transfuse.api.solver;

/**
 * A solver's answer.
 *
 * @param plan          the transport plan, n x m row-major (for {@code lap} the 0/1 assignment matrix)
 * @param cost          the total cost {@code sum(plan * C)} (for {@code lap} the assignment total)
 * @param iterations    iterations (or pivots) performed
 * @param marginalError L2 norm of the marginal violation of the returned plan
 * @param converged     false when the iteration limit stopped the solver first
 * @param dualA         dual potentials of the rows (null when the solver has none)
 * @param dualB         dual potentials of the columns (null when the solver has none)
 */
public record TransportResult(double[] plan, double cost, int iterations, double marginalError,
                              boolean converged, double[] dualA, double[] dualB) {
}
