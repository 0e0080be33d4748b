package transfuse.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;

/**
 * Peak memory of one solve, in a fresh JVM: {@code java -cp target/benchmarks.jar
 * transfuse.benchmarks.PeakMemory SOLVER N [ITERATIONS]}. Prints the process's peak resident
 * set (VmHWM) before and after the solve, the peak of the Java heap pools and the size of one
 * n x n float64 matrix, so the number of live matrices can be read off.
 */
public final class PeakMemory {
    private PeakMemory() {
    }

    public static void main(String[] args) throws IOException {
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        TransportProblem problem = Inputs.uniformProblem(n);
        TransportSolver solver = Inputs.solver(name);
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        long before = vmHwmKiB();
        SolverOptions o = name.startsWith("sinkhorn")
                ? SolverOptions.DEFAULTS.withReg(0.08).withMaxIter(iterations).withTol(Double.MIN_VALUE)
                : SolverOptions.DEFAULTS;
        long t0 = System.nanoTime();
        TransportResult r = solver.solve(problem, o, ProgressListener.NONE);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long after = vmHwmKiB();
        long heapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPeak += pool.getPeakUsage().getUsed();
            }
        }
        double matrixMiB = 8.0 * n * n / (1 << 20);
        System.out.printf("%s n=%d: %.3f s, iterations %d, cost %.9g | VmHWM before %.0f MiB, after %.0f MiB,"
                        + " growth %.0f MiB = %.2f matrices | heap peak %.0f MiB | one matrix %.1f MiB%n",
                name, n, seconds, r.iterations(), r.cost(), before / 1024.0, after / 1024.0,
                (after - before) / 1024.0, (after - before) / 1024.0 / matrixMiB, heapPeak / 1048576.0, matrixMiB);
    }

    private static long vmHwmKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
