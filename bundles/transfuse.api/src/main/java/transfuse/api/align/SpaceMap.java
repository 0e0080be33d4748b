package transfuse.api.align;

import java.util.Map;

/**
 * A map from model B's neurons of one space onto model A's: a matrix T (rows = A's neurons,
 * columns = B's) such that B's tensor axis x in that space is transported as {@code T x}.
 * A permutation is a 0/1 matrix; an OT plan is rescaled by the source width (barycentric
 * projection).
 *
 * @param space the space name
 * @param rows  A's size
 * @param cols  B's size
 * @param t     row-major rows x cols
 * @param stats what the aligner measured (solver iterations, seconds, cost), for the report
 */
public record SpaceMap(String space, int rows, int cols, double[] t, Map<String, Object> stats) {
    public SpaceMap {
        if (t.length != (long) rows * cols) {
            throw new IllegalArgumentException("space " + space + ": map has " + t.length
                    + " entries, expected " + rows + " x " + cols);
        }
        stats = Map.copyOf(stats);
    }
}
