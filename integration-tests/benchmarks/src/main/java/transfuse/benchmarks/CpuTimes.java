package transfuse.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportSolver;

/**
 * CPU time next to wall time, for a machine shared with other jobs, where wall time measures the
 * scheduler more than the solver: {@code java -cp target/benchmarks.jar transfuse.benchmarks.CpuTimes}.
 * For the single-threaded solvers (emd, lap) the calling thread's CPU time is close to the wall
 * time the solve takes on an idle machine. For the two-threaded Sinkhorn solvers the process CPU
 * time is printed per iteration; divided by the two cores it is an optimistic idle estimate
 * (spin-waiting BLAS threads inflate it under load, so it is not a lower bound either).
 * Medians over the measured repetitions, after warm-up repetitions.
 */
public final class CpuTimes {
    private static final int WARMUP = 3;
    private static final int REPS = 7;
    private static final int SINKHORN_ITERATIONS = 100;

    private CpuTimes() {
    }

    public static void main(String[] args) {
        measure("emd", 1024);
        measure("emd", 2048);
        measure("lap", 768);
        measure("lap", 3072);
        measure("sinkhorn", 3072);
        measure("sinkhorn-log", 3072);
    }

    private static void measure(String name, int n) {
        TransportProblem problem = Inputs.uniformProblem(n);
        TransportSolver solver = Inputs.solver(name);
        boolean sinkhorn = name.startsWith("sinkhorn");
        SolverOptions options = sinkhorn
                ? SolverOptions.DEFAULTS.withReg(0.08).withMaxIter(SINKHORN_ITERATIONS).withTol(Double.MIN_VALUE)
                : SolverOptions.DEFAULTS;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] wall = new double[REPS];
        double[] cpu = new double[REPS];
        for (int r = -WARMUP; r < REPS; r++) {
            long cpu0 = sinkhorn ? os.getProcessCpuTime() : threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            solver.solve(problem, options, ProgressListener.NONE);
            long t1 = System.nanoTime();
            long cpu1 = sinkhorn ? os.getProcessCpuTime() : threads.getCurrentThreadCpuTime();
            if (r >= 0) {
                wall[r] = (t1 - t0) / 1e9;
                cpu[r] = (cpu1 - cpu0) / 1e9;
            }
        }
        if (sinkhorn) {
            double per = 1000.0 / SINKHORN_ITERATIONS;
            System.out.printf("%-13s n=%d  wall %.1f ms/iter  process CPU %.1f ms/iter (/2 cores: %.1f)%n", name, n,
                    median(wall) * per, median(cpu) * per, median(cpu) * per / 2);
        } else {
            System.out.printf("%-13s n=%d  wall %.3f s  thread CPU %.3f s%n", name, n, median(wall), median(cpu));
        }
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
