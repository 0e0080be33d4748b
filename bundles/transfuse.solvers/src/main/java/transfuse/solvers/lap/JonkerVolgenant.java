package transfuse.solvers.lap;

import java.util.Arrays;

import transfuse.api.progress.ProgressListener;

/**
 * Minimum-cost assignment of every row of a dense {@code n x m} cost ({@code n <= m}) to a distinct
 * column, by shortest augmenting paths with column potentials (Jonker and Volgenant 1987, the
 * family of SciPy's {@code linear_sum_assignment}, Crouse 2016). Written from the papers.
 * <p>
 * For square problems JV's initialization runs first (column reduction, reduction transfer and
 * two rounds of augmenting row reduction); it assigns most rows cheaply and leaves few for the
 * Dijkstra phase. For rectangular problems it is skipped: the shortest-path phase is exact only
 * if all unassigned columns keep equal potentials (Crouse), which the reductions would break.
 * <p>
 * Invariant: every assigned row's column minimises {@code c(i,j) - v(j)} over j, so reduced
 * costs seen by the Dijkstra search are non-negative.
 */
final class JonkerVolgenant {
    private final int n;
    private final int m;
    private final double[] c;
    private final int[] rowToCol;
    private final int[] colToRow;
    private final double[] v;
    private int augmentations;

    private JonkerVolgenant(double[] c, int n, int m) {
        if (n > m) {
            throw new IllegalArgumentException("orient the problem so that n <= m");
        }
        this.c = c;
        this.n = n;
        this.m = m;
        rowToCol = new int[n];
        colToRow = new int[m];
        v = new double[m];
        Arrays.fill(rowToCol, -1);
        Arrays.fill(colToRow, -1);
    }

    /** Solves; {@code c} is read, never written. */
    static JonkerVolgenant solve(double[] c, int n, int m, ProgressListener progress) {
        JonkerVolgenant lap = new JonkerVolgenant(c, n, m);
        int[] free;
        if (n == m) {
            free = lap.columnReduction();
            free = lap.augmentingRowReduction(free);
            free = lap.augmentingRowReduction(free);
        } else {
            free = new int[n];
            for (int i = 0; i < n; i++) {
                free[i] = i;
            }
        }
        lap.augment(free, progress);
        return lap;
    }

    int[] rowToCol() {
        return rowToCol;
    }

    double[] columnPotentials() {
        return v;
    }

    /** Row potential {@code u(i) = c(i, x(i)) - v(x(i))}: with v, a dual certificate. */
    double rowPotential(int i) {
        int j = rowToCol[i];
        return c[i * m + j] - v[j];
    }

    int augmentations() {
        return augmentations;
    }

    /**
     * v(j) = min over the column; each row takes the first column it is the minimum of. Rows
     * holding exactly one column then lower that column's potential to their second-best
     * reduced cost (reduction transfer). Returns the rows left free.
     */
    private int[] columnReduction() {
        double[] colMin = new double[m];
        int[] argMin = new int[m];
        Arrays.fill(colMin, Double.POSITIVE_INFINITY);
        // Row by row, so the matrix is read sequentially rather than by strided columns.
        for (int i = 0; i < n; i++) {
            int off = i * m;
            for (int j = 0; j < m; j++) {
                double x = c[off + j];
                if (x < colMin[j]) {
                    colMin[j] = x;
                    argMin[j] = i;
                }
            }
        }
        int[] matches = new int[n];
        for (int j = m - 1; j >= 0; j--) {
            v[j] = colMin[j];
            int i = argMin[j];
            if (matches[i]++ == 0) {
                rowToCol[i] = j;
                colToRow[j] = i;
            }
        }
        int[] free = new int[n];
        int numFree = 0;
        for (int i = 0; i < n; i++) {
            if (matches[i] == 0) {
                free[numFree++] = i;
            } else if (matches[i] == 1) {
                int j1 = rowToCol[i];
                int off = i * m;
                double second = Double.POSITIVE_INFINITY;
                for (int j = 0; j < m; j++) {
                    if (j != j1) {
                        second = Math.min(second, c[off + j] - v[j]);
                    }
                }
                if (second < Double.POSITIVE_INFINITY) {
                    v[j1] -= second;
                }
            }
        }
        return Arrays.copyOf(free, numFree);
    }

    /**
     * JV's augmenting row reduction: a free row takes its best column, lowering that column's
     * potential to the row's second-best reduced cost, and the column's previous owner is
     * processed next. Bounded in steps (each step keeps the invariant, so stopping early is
     * safe); returns the rows still free.
     */
    private int[] augmentingRowReduction(int[] free) {
        int prevFree = free.length;
        int numFree = 0;
        int k = 0;
        long budget = 16L * n + 1000;
        while (k < prevFree && budget-- > 0) {
            int i = free[k++];
            int off = i * m;
            double u1 = Double.POSITIVE_INFINITY;
            double u2 = Double.POSITIVE_INFINITY;
            int j1 = -1;
            int j2 = -1;
            for (int j = 0; j < m; j++) {
                double h = c[off + j] - v[j];
                if (h < u2) {
                    if (h < u1) {
                        u2 = u1;
                        j2 = j1;
                        u1 = h;
                        j1 = j;
                    } else {
                        u2 = h;
                        j2 = j;
                    }
                }
            }
            int i0 = colToRow[j1];
            boolean lowered = u1 < u2;
            if (lowered) {
                v[j1] -= u2 - u1;
            } else if (i0 >= 0 && j2 >= 0) {
                // A tie: take the equally good second column rather than evicting j1's owner.
                j1 = j2;
                i0 = colToRow[j2];
            }
            rowToCol[i] = j1;
            colToRow[j1] = i;
            if (i0 >= 0) {
                rowToCol[i0] = -1;
                if (lowered) {
                    free[--k] = i0;
                } else {
                    free[numFree++] = i0;
                }
            }
        }
        while (k < prevFree) {
            free[numFree++] = free[k++];
        }
        return Arrays.copyOf(free, numFree);
    }

    /** Dijkstra from each free row over reduced costs until a free column is reached, then augments. */
    private void augment(int[] free, ProgressListener progress) {
        double[] d = new double[m];
        int[] pred = new int[m];
        int[] cols = new int[m];
        int done = 0;
        for (int f : free) {
            int off = f * m;
            for (int j = 0; j < m; j++) {
                d[j] = c[off + j] - v[j];
                pred[j] = f;
                cols[j] = j;
            }
            // cols[0, lo): finished; [lo, up): at the current minimum distance, to scan; [up, m): unreached.
            int lo = 0;
            int up = 0;
            int last = 0;
            int end = -1;
            double min = 0;
            search:
            while (true) {
                if (lo == up) {
                    last = lo;
                    min = d[cols[up++]];
                    for (int k = up; k < m; k++) {
                        int j = cols[k];
                        double h = d[j];
                        if (h <= min) {
                            if (h < min) {
                                up = lo;
                                min = h;
                            }
                            cols[k] = cols[up];
                            cols[up++] = j;
                        }
                    }
                    for (int k = lo; k < up; k++) {
                        if (colToRow[cols[k]] < 0) {
                            end = cols[k];
                            break search;
                        }
                    }
                }
                int j1 = cols[lo++];
                int i = colToRow[j1];
                int rowOff = i * m;
                double h = c[rowOff + j1] - v[j1] - min;
                for (int k = up; k < m; k++) {
                    int j = cols[k];
                    double reduced = c[rowOff + j] - v[j] - h;
                    if (reduced < d[j]) {
                        d[j] = reduced;
                        pred[j] = i;
                        if (reduced == min) {
                            if (colToRow[j] < 0) {
                                end = j;
                                break search;
                            }
                            cols[k] = cols[up];
                            cols[up++] = j;
                        }
                    }
                }
            }
            for (int k = 0; k < last; k++) {
                int j = cols[k];
                v[j] += d[j] - min;
            }
            int j = end;
            while (true) {
                int i = pred[j];
                colToRow[j] = i;
                int previous = rowToCol[i];
                rowToCol[i] = j;
                if (i == f) {
                    break;
                }
                j = previous;
            }
            augmentations++;
            if ((++done & 0xFF) == 0) {
                progress.progress("lap", done, free.length, "");
            }
        }
    }
}
