package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

import transfuse.fusion.internal.LayerAssignment;
import transfuse.solvers.emd.EmdSolver;

/**
 * The layer assignment on costs with a known answer: layers that match exactly (cost 0) must be
 * matched to each other, whichever model is deeper, and the layer left over takes its cheapest
 * partner. The first case is the measured cost of a 4-layer model against itself with its last
 * layer cut out; with uniform marginals (1/4, 1/3) mass conservation cascades the coupling down
 * the diagonal and the row argmax gives [0, 1, 1, 2], so this test tells the two apart.
 */
class LayerAssignmentTest {
    private static final double[] FOUR_BY_THREE = {
        0.0, 0.056, 0.149,
        0.056, 0.0, 0.076,
        0.149, 0.076, 0.0,
        0.200, 0.129, 0.032,
    };

    @Test
    void aShallowerModelKeepsItsExactMatchesAndDuplicatesTheCheapestLayer() {
        LayerAssignment a = LayerAssignment.solve(4, 3, FOUR_BY_THREE, new EmdSolver());
        assertArrayEquals(new int[] {0, 1, 2, 2}, a.map());
    }

    @Test
    void aDeeperModelKeepsItsExactMatchesAndDropsTheRest() {
        double[] transposed = new double[12];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 3; j++) {
                transposed[j * 4 + i] = FOUR_BY_THREE[i * 3 + j];
            }
        }
        LayerAssignment a = LayerAssignment.solve(3, 4, transposed, new EmdSolver());
        assertArrayEquals(new int[] {0, 1, 2}, a.map());
    }

    @Test
    void equalDepthIsAnAssignmentNotANearestNeighbour() {
        // Both rows are nearest to column 0; an assignment gives each its own layer.
        double[] cost = {0.1, 0.5, 0.2, 0.9};
        assertArrayEquals(new int[] {1, 0}, LayerAssignment.solve(2, 2, cost, new EmdSolver()).map());
    }
}
