package transfuse.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/** Linear assignment, n x n uniform [0,1) costs: seconds per solve (SciPy: 0.025 s / 1.05 s). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g", "-Xms2g"})
public class LapBenchmark {
    @Param({"768", "3072"})
    public int n;

    private TransportProblem problem;
    private TransportSolver solver;

    @Setup
    public void setup() {
        problem = Inputs.uniformProblem(n);
        solver = Inputs.solver("lap");
    }

    @Benchmark
    public TransportResult lap() {
        return solver.solve(problem, SolverOptions.DEFAULTS, ProgressListener.NONE);
    }
}
