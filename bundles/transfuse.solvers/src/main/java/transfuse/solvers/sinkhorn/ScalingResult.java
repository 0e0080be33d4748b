package transfuse.solvers.sinkhorn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.solvers.common.PlanMeasures;

/** Turns scalings {@code (u, v)} of a kernel into the plan {@code diag(u) K diag(v)} and a result. */
final class ScalingResult {
    private ScalingResult() {
    }

    /**
     * Scales {@code kernel} into the plan in place (its content is lost), copies it out and
     * reports the plan's cost, its full marginal error and the dual potentials
     * {@code offsetA + reg log u}, {@code offsetB + reg log v} (offsets may be null).
     */
    static TransportResult fromKernel(TransportProblem p, INDArray kernel, INDArray u, INDArray v, double reg,
                                      int iterations, boolean converged, String solver, INDArray offsetA,
                                      INDArray offsetB) {
        kernel.muliColumnVector(u).muliRowVector(v.reshape(1, v.length()));
        double[] plan = kernel.data().asDouble();
        for (double x : plan) {
            if (!Double.isFinite(x)) {
                throw NumericalFailure.underflow(solver, iterations, reg);
            }
        }
        INDArray f = Transforms.log(u, true).muli(reg);
        INDArray g = Transforms.log(v, true).muli(reg);
        if (offsetA != null) {
            f.addi(offsetA);
            g.addi(offsetB);
        }
        return new TransportResult(plan, PlanMeasures.cost(plan, p.cost()), iterations,
                PlanMeasures.marginalError(plan, p.n(), p.m(), p.a(), p.b()), converged,
                f.data().asDouble(), g.data().asDouble());
    }

    static TransportResult fromKernel(TransportProblem p, INDArray kernel, INDArray u, INDArray v, double reg,
                                      int iterations, boolean converged, String solver) {
        return fromKernel(p, kernel, u, v, reg, iterations, converged, solver, null, null);
    }
}
