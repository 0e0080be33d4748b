package transfuse.benchmarks;

import java.util.SplittableRandom;

import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportSolver;
import transfuse.solvers.emd.EmdSolver;
import transfuse.solvers.lap.LapSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/** The benchmark inputs (fixed seed, uniform [0,1) costs, uniform marginals, float64) and solvers by name. */
final class Inputs {
    static final long SEED = 42;

    private Inputs() {
    }

    static TransportProblem uniformProblem(int n) {
        SplittableRandom rnd = new SplittableRandom(SEED + n);
        double[] c = new double[n * n];
        for (int k = 0; k < c.length; k++) {
            c[k] = rnd.nextDouble();
        }
        return TransportProblem.uniform(n, n, c);
    }

    /**
     * Solvers as the framework would hand them out. Outside OSGi nothing injects the
     * Nd4jRuntime reference, so ND4J is initialized here first, as the reference guarantees.
     */
    static TransportSolver solver(String name) {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        return switch (name) {
            case "emd" -> new EmdSolver();
            case "lap" -> new LapSolver();
            case "sinkhorn" -> new transfuse.solvers.sinkhorn.SinkhornSolver();
            case "sinkhorn-log" -> new transfuse.solvers.sinkhorn.SinkhornLogSolver();
            case "sinkhorn-stabilized" -> new transfuse.solvers.sinkhorn.SinkhornStabilizedSolver();
            case "sinkhorn-epsilon" -> new transfuse.solvers.sinkhorn.SinkhornEpsilonSolver();
            default -> throw new IllegalArgumentException("unknown solver " + name);
        };
    }
}
