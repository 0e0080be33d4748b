package transfuse.solvers.lap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.SolverOptions;
import transfuse.api.solver.TransportProblem;
import transfuse.api.solver.TransportResult;
import transfuse.solvers.common.Problems;

class LapSolverTest {
    private static final double TOL = 1e-9;
    private final LapSolver lap = new LapSolver();

    private TransportResult solve(int n, int m, double[] c, boolean maximize) {
        TransportResult r = lap.solve(TransportProblem.uniform(n, m, c), SolverOptions.DEFAULTS.withMaximize(maximize),
                ProgressListener.NONE);
        assertIsAssignment(n, m, c, r, maximize);
        return r;
    }

    /**
     * The plan is a 0/1 matrix with min(n, m) ones, at most one per row and column; the cost is
     * the total of the chosen original costs; the potentials certify optimality
     * (u_i + v_j <= C_ij when minimising, >= when maximising, equality on chosen pairs).
     */
    static void assertIsAssignment(int n, int m, double[] c, TransportResult r, boolean maximize) {
        double[] plan = r.plan();
        int[] perRow = new int[n];
        int[] perCol = new int[m];
        double total = 0;
        int ones = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double x = plan[i * m + j];
                assertTrue(x == 0.0 || x == 1.0, "0/1 plan");
                double slack = c[i * m + j] - r.dualA()[i] - r.dualB()[j];
                assertTrue(maximize ? slack <= TOL : slack >= -TOL, "dual feasible");
                if (x == 1.0) {
                    perRow[i]++;
                    perCol[j]++;
                    total += c[i * m + j];
                    ones++;
                    assertEquals(0.0, slack, TOL, "complementary slackness");
                }
            }
        }
        assertEquals(Math.min(n, m), ones);
        for (int k : perRow) {
            assertTrue(k <= 1);
        }
        for (int k : perCol) {
            assertTrue(k <= 1);
        }
        assertEquals(total, r.cost(), 1e-12, "cost is the total of the chosen original costs");
        assertTrue(r.converged());
    }

    /** Square, random and tied costs (integers 0..2, all equal), n <= 7: the optimum equals brute force. */
    @Test
    void squareMatchesBruteForce() {
        for (int n = 1; n <= 7; n++) {
            for (long seed = 0; seed < 8; seed++) {
                for (double[] c : new double[][] {Problems.uniformCosts(n, n, seed), Problems.integerCosts(n, n, 3, seed),
                    Problems.constantCosts(n, n, 1.25)}) {
                    assertEquals(Problems.bruteForceAssignment(n, n, c, false), solve(n, n, c, false).cost(), TOL);
                }
            }
        }
    }

    /** Rectangular both ways (n < m assigns every row, n > m every column) against brute force. */
    @Test
    void rectangularMatchesBruteForce() {
        for (int n = 1; n <= 6; n++) {
            for (int m = 1; m <= 6; m++) {
                if (n == m) {
                    continue;
                }
                for (long seed = 0; seed < 6; seed++) {
                    for (double[] c : new double[][] {Problems.uniformCosts(n, m, seed), Problems.integerCosts(n, m, 3, seed)}) {
                        assertEquals(Problems.bruteForceAssignment(n, m, c, false), solve(n, m, c, false).cost(), TOL,
                                n + "x" + m);
                    }
                }
            }
        }
    }

    /** Maximisation returns the maximum total of the original (un-negated) costs. */
    @Test
    void maximizeMatchesBruteForce() {
        int[][] shapes = {{5, 5}, {7, 7}, {3, 6}, {6, 4}, {1, 5}};
        for (int[] s : shapes) {
            for (long seed = 0; seed < 6; seed++) {
                for (double[] c : new double[][] {Problems.uniformCosts(s[0], s[1], seed),
                    Problems.integerCosts(s[0], s[1], 3, seed)}) {
                    double best = Problems.bruteForceAssignment(s[0], s[1], c, true);
                    assertEquals(best, solve(s[0], s[1], c, true).cost(), TOL);
                }
            }
        }
    }

    /** Larger problems (where the Dijkstra phase and the reductions all work) keep a valid certificate. */
    @Test
    void largerProblemsCarryACertificate() {
        int[][] shapes = {{300, 300}, {120, 400}, {400, 120}, {257, 256}};
        for (int[] s : shapes) {
            solve(s[0], s[1], Problems.uniformCosts(s[0], s[1], s[0] + s[1]), false);
            solve(s[0], s[1], Problems.integerCosts(s[0], s[1], 3, s[0]), false);
            solve(s[0], s[1], Problems.uniformCosts(s[0], s[1], 7), true);
            solve(s[0], s[1], Problems.constantCosts(s[0], s[1], 4.0), false);
        }
    }

    /** The caller's cost array is never modified, even when maximising or transposing. */
    @Test
    void costIsNotModified() {
        double[] c = Problems.uniformCosts(5, 3, 1);
        double[] copy = c.clone();
        solve(5, 3, c, true);
        assertArrayEquals(copy, c, 0.0);
    }

    @Test
    void negativeMaxIterIsRejected() {
        TransportProblem p = TransportProblem.uniform(2, 2, Problems.uniformCosts(2, 2, 1));
        assertThrows(TransfuseException.class,
                () -> lap.solve(p, SolverOptions.DEFAULTS.withMaxIter(-3), ProgressListener.NONE));
    }

    @Test
    void deterministic() {
        double[] c = Problems.integerCosts(200, 150, 3, 9);
        TransportResult a = solve(200, 150, c, false);
        TransportResult b = solve(200, 150, c, false);
        assertArrayEquals(a.plan(), b.plan(), 0.0);
        assertArrayEquals(a.dualB(), b.dualB(), 0.0);
    }
}
