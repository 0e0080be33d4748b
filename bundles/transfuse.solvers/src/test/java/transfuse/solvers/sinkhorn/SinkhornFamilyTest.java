package transfuse.solvers.sinkhorn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.api.solver.TransportSolver;
import transfuse.solvers.common.Problems;
import transfuse.solvers.emd.EmdSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

class SinkhornFamilyTest {
    private static final List<TransportSolver> ALL = List.of(new SinkhornSolver(), new SinkhornLogSolver(),
            new SinkhornStabilizedSolver(), new SinkhornEpsilonSolver());

    @BeforeAll
    static void nd4j() {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
    }

    private static TransportProblem cloud(int n, int m, long seed) {
        return Problems.randomMarginals(n, m, Problems.pointCloudCosts(n, m, seed), 1, seed);
    }

    /** Every variant converges on a moderate reg and returns a plan with the requested marginals. */
    @Test
    void marginalsWithinTolerance() {
        TransportProblem p = cloud(40, 30, 1);
        for (TransportSolver s : ALL) {
            TransportResult r = s.solve(p, SolverOptions.DEFAULTS.withReg(0.05).withMaxIter(5000), ProgressListener.NONE);
            assertTrue(r.converged(), s.name());
            double[][] marg = Problems.marginals(r.plan(), p.n(), p.m());
            assertArrayEquals(p.a(), marg[0], 1e-8, s.name() + " rows");
            assertArrayEquals(p.b(), marg[1], 1e-8, s.name() + " columns");
            assertTrue(r.marginalError() < 1e-8, s.name());
            assertEquals(Problems.marginals(r.plan(), p.n(), p.m()).length, 2);
            for (double x : r.plan()) {
                assertTrue(x >= 0 && Double.isFinite(x));
            }
        }
    }

    /** Where all converge, all variants compute the same plan (same fixed point) and cost. */
    @Test
    void variantsAgree() {
        TransportProblem p = cloud(35, 50, 2);
        SolverOptions o = SolverOptions.DEFAULTS.withReg(0.08).withMaxIter(5000).withTol(1e-11);
        TransportResult ref = ALL.get(0).solve(p, o, ProgressListener.NONE);
        for (TransportSolver s : ALL.subList(1, ALL.size())) {
            TransportResult r = s.solve(p, o, ProgressListener.NONE);
            assertTrue(r.converged(), s.name());
            assertArrayEquals(ref.plan(), r.plan(), 1e-9, s.name());
            assertEquals(ref.cost(), r.cost(), 1e-9, s.name());
        }
    }

    /**
     * As reg goes to 0 the entropic plan's cost decreases towards the exact EMD cost: the
     * sequence is non-increasing, stays above EMD, and the last gap is small.
     */
    @Test
    void costApproachesEmdAsRegShrinks() {
        TransportProblem p = TransportProblem.uniform(30, 30, Problems.pointCloudCosts(30, 30, 3));
        double emd = new EmdSolver().solve(p, SolverOptions.DEFAULTS, ProgressListener.NONE).cost();
        TransportSolver log = new SinkhornLogSolver();
        double previous = Double.POSITIVE_INFINITY;
        double last = Double.NaN;
        for (double reg : new double[] {0.3, 0.1, 0.03, 0.01, 0.003}) {
            TransportResult r = log.solve(p, SolverOptions.DEFAULTS.withReg(reg).withMaxIter(20000), ProgressListener.NONE);
            assertTrue(r.cost() >= emd - 1e-7, "above the exact optimum");
            assertTrue(r.cost() <= previous + 1e-7, "non-increasing in reg");
            previous = r.cost();
            last = r.cost();
        }
        assertEquals(emd, last, 2e-3, "small final gap");
        assertTrue(last - emd < 0.2 * (previous - emd) + 2e-3);
    }

    /** At reg = 1e-3 on costs normalised to max 1 the log domain stays finite with correct marginals. */
    @Test
    void logDomainStaysFiniteAtSmallReg() {
        TransportProblem p = cloud(30, 25, 4);
        TransportResult r = new SinkhornLogSolver().solve(p,
                SolverOptions.DEFAULTS.withReg(1e-3).withMaxIter(20000).withTol(1e-8), ProgressListener.NONE);
        for (double x : r.plan()) {
            assertTrue(Double.isFinite(x));
        }
        for (double d : r.dualA()) {
            assertTrue(Double.isFinite(d));
        }
        double[][] marg = Problems.marginals(r.plan(), p.n(), p.m());
        assertArrayEquals(p.a(), marg[0], 1e-8);
        assertArrayEquals(p.b(), marg[1], 1e-7);
        double emd = new EmdSolver().solve(p, SolverOptions.DEFAULTS, ProgressListener.NONE).cost();
        assertEquals(emd, r.cost(), 0.01);
    }

    /** Standard Sinkhorn at a reg where exp(-C/reg) underflows reports it, pointing to sinkhorn-log. */
    @Test
    void standardSinkhornReportsUnderflow() {
        double[] c = Problems.uniformCosts(20, 20, 5);
        for (int k = 0; k < c.length; k++) {
            c[k] = 0.5 + 0.5 * c[k];
        }
        TransportProblem p = TransportProblem.uniform(20, 20, c);
        TransfuseException e = assertThrows(TransfuseException.class,
                () -> new SinkhornSolver().solve(p, SolverOptions.DEFAULTS.withReg(1e-4), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("underflow") && e.getMessage().contains("sinkhorn-log"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        // The log domain solves the same problem.
        TransportResult r = new SinkhornLogSolver().solve(p, SolverOptions.DEFAULTS.withReg(1e-4), ProgressListener.NONE);
        for (double x : r.plan()) {
            assertTrue(Double.isFinite(x));
        }
    }

    /** Zero-mass rows and columns get zero plan entries, without NaN. */
    @Test
    void zeroMassEntries() {
        double[] c = Problems.pointCloudCosts(6, 5, 6);
        TransportProblem p = new TransportProblem(6, 5, c, new double[] {0.2, 0, 0.3, 0.1, 0.4, 0},
                new double[] {0.25, 0.25, 0, 0.25, 0.25});
        for (TransportSolver s : ALL) {
            TransportResult r = s.solve(p, SolverOptions.DEFAULTS.withReg(0.1), ProgressListener.NONE);
            assertTrue(r.converged(), s.name());
            for (int j = 0; j < 5; j++) {
                assertEquals(0.0, r.plan()[5 + j], s.name());
            }
            assertTrue(r.marginalError() < 1e-8, s.name());
        }
    }

    /** Reaching maxIter is reported, with exactly that many iterations. */
    @Test
    void iterationLimitIsReported() {
        TransportProblem p = cloud(30, 30, 7);
        for (TransportSolver s : List.of(ALL.get(0), ALL.get(1), ALL.get(2))) {
            TransportResult r = s.solve(p, SolverOptions.DEFAULTS.withReg(0.01).withMaxIter(3), ProgressListener.NONE);
            assertFalse(r.converged(), s.name());
            assertEquals(3, r.iterations(), s.name());
        }
    }

    /** maximize on C is the same problem as minimising -C: same plan, the cost of C, negated potentials. */
    @Test
    void maximizeSolvesTheNegatedCost() {
        TransportProblem p = cloud(25, 20, 10);
        double[] negated = p.cost().clone();
        for (int k = 0; k < negated.length; k++) {
            negated[k] = -negated[k];
        }
        TransportProblem q = new TransportProblem(p.n(), p.m(), negated, p.a(), p.b());
        SolverOptions o = SolverOptions.DEFAULTS.withReg(0.05);
        for (TransportSolver s : ALL) {
            TransportResult max = s.solve(p, o.withMaximize(true), ProgressListener.NONE);
            TransportResult min = s.solve(q, o, ProgressListener.NONE);
            assertTrue(max.converged(), s.name());
            assertArrayEquals(min.plan(), max.plan(), 1e-12, s.name());
            assertEquals(-min.cost(), max.cost(), 1e-12, s.name());
            assertEquals(-min.dualA()[3], max.dualA()[3], 1e-9, s.name());
            TransportResult plain = s.solve(p, o, ProgressListener.NONE);
            assertTrue(max.cost() > plain.cost(), s.name());
        }
    }

    /** Invalid reg, tol and maxIter are refused with a one-line message naming the option. */
    @Test
    void badOptionsAreRejected() {
        TransportProblem p = cloud(4, 4, 8);
        for (TransportSolver s : ALL) {
            for (double reg : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                TransfuseException e = assertThrows(TransfuseException.class,
                        () -> s.solve(p, SolverOptions.DEFAULTS.withReg(reg), ProgressListener.NONE));
                assertTrue(e.getMessage().startsWith("reg:"), e.getMessage());
            }
            for (double tol : new double[] {0, -1e-9, Double.NaN}) {
                TransfuseException e = assertThrows(TransfuseException.class,
                        () -> s.solve(p, SolverOptions.DEFAULTS.withReg(0.08).withTol(tol), ProgressListener.NONE));
                assertTrue(e.getMessage().startsWith("tol:"), e.getMessage());
            }
            TransfuseException e = assertThrows(TransfuseException.class,
                    () -> s.solve(p, SolverOptions.DEFAULTS.withReg(0.08).withMaxIter(-1), ProgressListener.NONE));
            assertTrue(e.getMessage().startsWith("max-iter:"), e.getMessage());
        }
    }

    /** reg depends on the cost's scale, so the defaults carry none: a regularised solver asks for one. */
    @Test
    void regIsTheCallersChoice() {
        TransportProblem p = cloud(4, 4, 8);
        for (TransportSolver s : ALL) {
            assertTrue(s.regularised(), s.name());
            TransfuseException e = assertThrows(TransfuseException.class,
                    () -> s.solve(p, SolverOptions.DEFAULTS, ProgressListener.NONE));
            assertTrue(e.getMessage().startsWith("reg: not set"), e.getMessage());
        }
        assertFalse(new EmdSolver().regularised());
        assertFalse(new transfuse.solvers.lap.LapSolver().regularised());
    }

    /** Same input, bitwise same output (the log domain's parallel sums are in a fixed order). */
    @Test
    void deterministic() {
        TransportProblem p = cloud(70, 90, 9);
        for (TransportSolver s : ALL) {
            SolverOptions o = SolverOptions.DEFAULTS.withReg(0.05);
            TransportResult a = s.solve(p, o, ProgressListener.NONE);
            TransportResult b = s.solve(p, o, ProgressListener.NONE);
            assertArrayEquals(a.plan(), b.plan(), 0.0, s.name());
            assertEquals(a.iterations(), b.iterations());
        }
    }
}
