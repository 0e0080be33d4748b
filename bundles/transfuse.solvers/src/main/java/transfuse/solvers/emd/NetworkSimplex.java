package transfuse.solvers.emd;

import transfuse.api.progress.ProgressListener;

/**
 * Primal network simplex for the uncapacitated transportation problem between {@code n} supply
 * nodes and {@code m} demand nodes ({@code n <= m}), the algorithm behind POT's {@code ot.emd}
 * (LEMON's NetworkSimplex, Kovács 2015, with the block-search pivot rule of Grigoriadis 1986 /
 * Bonneel et al. 2011). Written from the algorithm's description, with these choices of its own:
 * <ul>
 * <li>A root node joined to every node by an artificial arc of cost {@code ART} starts the
 *     spanning tree, as in LEMON; artificial arcs that leave never re-enter (they are not
 *     searched).</li>
 * <li>Real arcs are stored by <em>diagonals</em>: position {@code p = q*n + r} is the arc
 *     {@code r -> (q + r) mod m}. A block of consecutive positions then touches every supply
 *     node once and spreads over the demand nodes (the purpose of LEMON's arc mixing), while the
 *     pricing loop reads costs and both potentials sequentially. The caller numbers the nodes
 *     in a pseudo-random order ({@link ExactTransport}): an optimum lying along one diagonal
 *     of the input's own order (the identity, for two models of one ancestry) would otherwise sit
 *     in a single block and cost about one pivot per arc.</li>
 * <li>Arcs are uncapacitated, so a non-tree arc always sits at flow 0 and only tree arcs carry
 *     flow: flows are stored per node, for the arc joining the node to its parent.</li>
 * <li>The leaving arc is chosen so the tree stays strongly feasible (Cunningham 1976), which
 *     rules out cycling on the highly degenerate problems of uniform marginals.</li>
 * </ul>
 * Reduced costs use the convention {@code c(s,t) + pi(s) - pi(t)}, zero on tree arcs.
 */
final class NetworkSimplex {
    /** An entering arc must be this negative relative to the magnitudes involved: rounding noise is not an improvement. */
    private static final double PIVOT_EPS = 1e-14;
    /** Potentials are rebuilt from the tree this often (in pivots per node) so rounding drift stays bounded. */
    private static final int RESYNC_PER_NODE = 1;

    /** The cost of one real arc, in the solver's orientation. */
    @FunctionalInterface
    interface ArcCost {
        double cost(int supplyNode, int demandNode);
    }

    private final int n;
    private final int m;
    private final int nodes;       // n + m, the root is node number `nodes`
    private final int root;
    private final int arcs;        // n * m real arcs; artificial arc of node u has id arcs + u
    private final double[] cost;   // by diagonal position
    private final boolean[] inTree;
    private final double artCost;

    private final int[] parent;
    private final int[] pred;      // arc joining the node to its parent
    private final boolean[] up;    // pred arc points node -> parent
    private final double[] flow;   // flow on the pred arc
    private final int[] thread;    // preorder successor
    private final int[] revThread;
    private final int[] subtree;   // number of nodes in the node's subtree, itself included
    private final double[] pi;

    private final int[] stem;
    private final int[] order;
    private final int diagonalsPerBlock;
    private int nextDiagonal;
    private int pivots;

    /**
     * @param supply positive masses of the n supply nodes
     * @param demand positive masses of the m demand nodes
     * @param arcCost the cost of arc (r, c), already scaled to magnitudes of order 1
     */
    NetworkSimplex(double[] supply, double[] demand, ArcCost arcCost, double maxAbsCost) {
        n = supply.length;
        m = demand.length;
        if (n > m) {
            throw new IllegalArgumentException("orient the problem so that n <= m");
        }
        nodes = n + m;
        root = nodes;
        arcs = n * m;
        cost = new double[arcs];
        inTree = new boolean[arcs];
        for (int q = 0; q < m; q++) {
            int base = q * n;
            for (int r = 0; r < n; r++) {
                int c = q + r;
                cost[base + r] = arcCost.cost(r, c >= m ? c - m : c);
            }
        }
        // Larger than any path of real arcs, so artificial flow is always worth removing (LEMON's choice).
        artCost = (maxAbsCost + 1) * (nodes + 1);

        parent = new int[nodes + 1];
        pred = new int[nodes + 1];
        up = new boolean[nodes + 1];
        flow = new double[nodes + 1];
        thread = new int[nodes + 1];
        revThread = new int[nodes + 1];
        subtree = new int[nodes + 1];
        pi = new double[nodes + 1];
        stem = new int[nodes + 1];
        order = new int[nodes + 1];

        // Initial tree: every node hangs from the root by its artificial arc, carrying its own mass.
        parent[root] = -1;
        pred[root] = -1;
        subtree[root] = nodes + 1;
        thread[root] = 0;
        revThread[0] = root;
        for (int u = 0; u < nodes; u++) {
            parent[u] = root;
            pred[u] = arcs + u;
            subtree[u] = 1;
            int next = u + 1 == nodes ? root : u + 1;
            thread[u] = next;
            revThread[next] = u;
            if (u < n) {
                up[u] = true;
                flow[u] = supply[u];
                pi[u] = -artCost;
            } else {
                up[u] = false;
                flow[u] = demand[u - n];
                pi[u] = artCost;
            }
        }
        // Block size sqrt(#arcs) as recommended for block search, rounded to whole diagonals.
        diagonalsPerBlock = Math.max(1, (int) Math.ceil(Math.sqrt((double) n * m) / n));
    }

    /**
     * Pivots until optimal or {@code maxPivots} pivots were made.
     *
     * @return true when the tree is optimal
     */
    boolean run(int maxPivots, ProgressListener progress) {
        int resyncEvery = Math.max(1000, RESYNC_PER_NODE * nodes);
        while (true) {
            int entering = findEnteringArc();
            if (entering < 0) {
                return true;
            }
            if (pivots >= maxPivots) {
                return false;
            }
            pivot(entering);
            pivots++;
            if (pivots % resyncEvery == 0) {
                recomputePotentials();
            }
            if ((pivots & 0xFFFF) == 0) {
                progress.progress("emd", pivots, maxPivots, "");
            }
        }
    }

    int pivots() {
        return pivots;
    }

    /** Block search: the most negative arc of the first block that has one, scanning cyclically. */
    private int findEnteringArc() {
        double min = 0;
        int best = -1;
        int q = nextDiagonal;
        int blockLeft = diagonalsPerBlock;
        for (int scanned = 0; scanned < m; scanned++) {
            int base = q * n;
            int split = Math.min(n, m - q);
            // Positions whose demand node is q + r, then those that wrapped around to q + r - m.
            int target = n + q;
            for (int r = 0; r < split; r++) {
                double c = cost[base + r] + pi[r] - pi[target + r];
                if (c < min && !inTree[base + r]) {
                    min = c;
                    best = base + r;
                }
            }
            target = n + q - m;
            for (int r = split; r < n; r++) {
                double c = cost[base + r] + pi[r] - pi[target + r];
                if (c < min && !inTree[base + r]) {
                    min = c;
                    best = base + r;
                }
            }
            q = q + 1 == m ? 0 : q + 1;
            if (--blockLeft == 0) {
                if (best >= 0 && significant(best, min)) {
                    nextDiagonal = q;
                    return best;
                }
                blockLeft = diagonalsPerBlock;
            }
        }
        if (best >= 0 && significant(best, min)) {
            nextDiagonal = q;
            return best;
        }
        return -1;
    }

    private boolean significant(int arc, double reducedCost) {
        int s = supplyNode(arc);
        int t = demandNode(arc);
        double scale = Math.max(Math.abs(cost[arc]), Math.max(Math.abs(pi[s]), Math.abs(pi[t])));
        return reducedCost < -PIVOT_EPS * scale;
    }

    private int supplyNode(int arc) {
        return arc % n;
    }

    /** Node index (n + column) of the demand end of a real arc. */
    private int demandNode(int arc) {
        int c = arc / n + arc % n;
        return n + (c >= m ? c - m : c);
    }

    private double arcCost(int arc) {
        return arc < arcs ? cost[arc] : artCost;
    }

    private void pivot(int entering) {
        int s = supplyNode(entering);
        int t = demandNode(entering);

        // The apex of the cycle: walk up from the deeper side (smaller subtree).
        int u = s;
        int v = t;
        while (u != v) {
            if (subtree[u] < subtree[v]) {
                u = parent[u];
            } else {
                v = parent[v];
            }
        }
        int join = u;

        // Flow goes s -> t and back to s through the tree. Arcs against that direction limit it;
        // ties go to the last one met from the apex, which keeps the tree strongly feasible.
        double delta = Double.POSITIVE_INFINITY;
        int out = -1;
        boolean outOnSourceSide = false;
        for (u = s; u != join; u = parent[u]) {
            if (up[u] && flow[u] < delta) {
                delta = flow[u];
                out = u;
                outOnSourceSide = true;
            }
        }
        for (u = t; u != join; u = parent[u]) {
            if (!up[u] && flow[u] <= delta) {
                delta = flow[u];
                out = u;
                outOnSourceSide = false;
            }
        }
        if (delta > 0) {
            for (u = s; u != join; u = parent[u]) {
                flow[u] += up[u] ? -delta : delta;
            }
            for (u = t; u != join; u = parent[u]) {
                flow[u] += up[u] ? delta : -delta;
            }
        }

        double reduced = cost[entering] + pi[s] - pi[t];
        int leaving = pred[out];
        if (leaving < arcs) {
            inTree[leaving] = false;
        }
        inTree[entering] = true;
        if (outOnSourceSide) {
            rehang(s, t, out, join, entering, true, delta, -reduced);
        } else {
            rehang(t, s, out, join, entering, false, delta, reduced);
        }
    }

    /**
     * Cuts the subtree S of {@code out} off its parent and hangs it, re-rooted at {@code in}
     * (inside S), below {@code other} (outside S) by the entering arc. The preorder of S is
     * rebuilt in O(|S|): first the old subtree of {@code in}, then each stem node followed by
     * its old subtree minus the part already placed. The potentials of S move by {@code shift}
     * so the entering arc's reduced cost becomes zero.
     */
    private void rehang(int in, int other, int out, int join, int entering, boolean enteringUp,
                        double enteringFlow, double shift) {
        int size = subtree[out];
        int stemLength = 0;
        for (int x = in; ; x = parent[x]) {
            stem[stemLength++] = x;
            if (x == out) {
                break;
            }
        }

        int len = 0;
        int lastOld = in;
        int x = in;
        for (int left = subtree[in]; left > 0; left--) {
            order[len++] = x;
            lastOld = x;
            x = thread[x];
        }
        for (int i = 1; i < stemLength; i++) {
            int node = stem[i];
            int child = stem[i - 1];
            int left = subtree[node] - subtree[child];
            boolean skipped = false;
            int lastAppended = node;
            x = node;
            while (left > 0) {
                if (x == child) {
                    x = thread[lastOld];
                    skipped = true;
                    continue;
                }
                order[len++] = x;
                lastAppended = x;
                left--;
                x = thread[x];
            }
            if (skipped) {
                lastOld = lastAppended;
            }
        }

        // Unlink S's old preorder segment, then splice the new one in right after `other`.
        int before = revThread[out];
        int after = thread[lastOld];
        thread[before] = after;
        revThread[after] = before;
        int next = thread[other];
        int prev = other;
        for (int i = 0; i < len; i++) {
            int node = order[i];
            thread[prev] = node;
            revThread[node] = prev;
            prev = node;
            pi[node] += shift;
        }
        thread[prev] = next;
        revThread[next] = prev;

        // Reverse the stem: each stem node now hangs from the one below it, by that one's old arc.
        int outParent = parent[out];
        for (int i = stemLength - 1; i >= 1; i--) {
            int node = stem[i];
            int child = stem[i - 1];
            parent[node] = child;
            pred[node] = pred[child];
            up[node] = !up[child];
            flow[node] = flow[child];
            subtree[node] = size - subtree[child];
        }
        parent[in] = other;
        pred[in] = entering;
        up[in] = enteringUp;
        flow[in] = enteringFlow;
        subtree[in] = size;

        for (int a = outParent; a != join; a = parent[a]) {
            subtree[a] -= size;
        }
        for (int a = other; a != join; a = parent[a]) {
            subtree[a] += size;
        }
    }

    /** Potentials from the tree itself (root at 0), in preorder so a parent is always done first. */
    void recomputePotentials() {
        pi[root] = 0;
        for (int x = thread[root]; x != root; x = thread[x]) {
            double c = arcCost(pred[x]);
            pi[x] = up[x] ? pi[parent[x]] - c : pi[parent[x]] + c;
        }
    }

    /** Receives the flow of each real tree arc. */
    @FunctionalInterface
    interface FlowConsumer {
        void accept(int supplyNode, int demandNode, double flow);
    }

    void forEachTreeFlow(FlowConsumer consumer) {
        for (int x = 0; x < nodes; x++) {
            int arc = pred[x];
            if (arc < arcs) {
                consumer.accept(supplyNode(arc), demandNode(arc) - n, flow[x]);
            }
        }
    }

    /** Row dual {@code u} with {@code u(r) + v(c) <= cost(r, c)}, equality on tree arcs. */
    double supplyDual(int r) {
        return -pi[r];
    }

    double demandDual(int c) {
        return pi[n + c];
    }
}
