package transfuse.fusion.align;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.AlignerSettings;
import transfuse.api.align.Evidence;
import transfuse.api.align.MapPolicy;
import transfuse.api.align.MapPolicy.Qk;
import transfuse.api.align.MapPolicy.Residual;
import transfuse.api.align.MapPolicy.ResidualStream;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.arch.HeadGroup;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * {@code perm}: permutation merging (Verma & Elbayad 2024). The map of a space is the permutation
 * maximising the summed correlation of standardised activations (linear assignment by the
 * {@code lap} solver). Heads (option {@code heads}): {@code permute} (Head-Perm: an inner
 * assignment per pair of heads, then an outer one over heads scored by the inner totals of every
 * space of the head group), {@code monotonic} (heads stay in order, inner assignment only) or
 * {@code ignore} (one assignment over the whole space, which may split heads). A group that
 * declares head factors gets the factored inner assignment ({@link FactoredHeads}) under
 * {@code permute} and {@code monotonic}.
 * <p>
 * With unequal widths the assignment is rectangular: extra neurons of the other model are dropped,
 * and anchor neurons left without a partner take their best-correlated neuron (duplicated).
 */
@Component(service = Aligner.class, property = Plugin.NAME_PROPERTY + "=perm")
public final class PermAligner implements Aligner {
    /** How heads are matched: Head-Perm, heads kept in order, or one assignment over the whole space. */
    private static final List<String> HEADS = List.of("permute", "monotonic", "ignore");
    private static final List<OptionDecl> OPTIONS = List.of(
            OptionDecl.choice("heads", HEADS.get(0), HEADS, "Head-Perm (heads move as wholes), heads kept in order,"
                    + " or one assignment over the whole space"),
            OptionDecl.choice("residual-perm", MapPolicy.label(ResidualStream.FIRST),
                    MapPolicy.labels(ResidualStream.class), "one permutation per residual stream from its first, last"
                    + " or all taps, or the identity; separate aligns each residual space apart (not function-preserving)"));

    private final TransportSolver lap;

    /**
     * In OSGi. The ND4J reference is not used here: it guarantees ND4J is initialized with its
     * bundle's class loader before the engine's correlation sums use it for this method.
     */
    @Activate
    public PermAligner(@Reference Nd4jRuntime nd4j,
                       @Reference(target = "(" + Plugin.NAME_PROPERTY + "=lap)") TransportSolver lap) {
        this(lap);
    }

    /** Outside OSGi. */
    public PermAligner(TransportSolver lap) {
        this.lap = lap;
    }

    @Override
    public String name() {
        return "perm";
    }

    @Override
    public String description() {
        return "permutation merging: correlation of standardised activations, maximised linear assignment, Head-Perm";
    }

    @Override
    public List<OptionDecl> options() {
        return OPTIONS;
    }

    /** Correlations of activations only: a permutation maximises them. */
    @Override
    public List<Evidence> evidence() {
        return List.of(Evidence.ACTS);
    }

    /** Permutations keep Q and K together; the residual stream gets one permutation as chosen. */
    @Override
    public AlignerSettings configure(OptionValues options, Evidence evidence) {
        ResidualStream stream = MapPolicy.fromLabel(ResidualStream.class, options.text("residual-perm"));
        return new AlignerSettings(new MapPolicy(Qk.JOINT, Residual.MEAN, stream), options.withDefaults());
    }

    @Override
    public SpaceMap align(SpaceMatch match, ProgressListener progress) {
        long t0 = System.nanoTime();
        double[] rho = correlation(match);
        int n = match.spaceA().size();
        int m = match.spaceB().size();
        Assignment a = Assignment.maximise(lap, rho, n, m);
        double[] t = new double[n * m];
        fill(t, m, a.rowToCol, rho, 0, 0, n, m, m);
        return new SpaceMap(match.spaceA().name(), n, m, t, stats("assignment", a.total / n, t0));
    }

    @Override
    public List<SpaceMap> alignHeads(HeadGroup group, List<SpaceMatch> members, ProgressListener progress) {
        String mode = members.isEmpty() ? HEADS.get(0) : members.get(0).options().getOrDefault("heads", HEADS.get(0));
        if (mode.equals("ignore")) {
            return Aligner.super.alignHeads(group, members, progress);
        }
        long t0 = System.nanoTime();
        int heads = group.heads();
        List<double[]> rhos = new ArrayList<>();
        for (SpaceMatch m : members) {
            if (m.spaceA().heads() != heads || m.spaceB().heads() != heads) {
                throw new TransfuseException("head group " + group.name() + ": heads " + mode + " needs " + heads
                        + " heads in every model, space " + m.spaceA().name() + " has " + m.spaceB().heads()
                        + " in the other model");
            }
            rhos.add(correlation(m));
        }
        if (!group.inside().isEmpty()) {
            return factored(group, members, rhos, mode, t0);
        }
        // inner[s][hA][hB]: the best within-head assignment of member s for that head pair.
        int[][][][] inner = new int[members.size()][heads][heads][];
        double[][] score = new double[heads][heads];
        for (int s = 0; s < members.size(); s++) {
            SpaceMatch m = members.get(s);
            int da = m.spaceA().headDim();
            int db = m.spaceB().headDim();
            int cols = m.spaceB().size();
            for (int ha = 0; ha < heads; ha++) {
                for (int hb = 0; hb < heads; hb++) {
                    if (mode.equals("monotonic") && ha != hb) {
                        continue;
                    }
                    double[] sub = new double[da * db];
                    for (int i = 0; i < da; i++) {
                        for (int j = 0; j < db; j++) {
                            sub[i * db + j] = rhos.get(s)[(ha * da + i) * cols + hb * db + j];
                        }
                    }
                    Assignment a = Assignment.maximise(lap, sub, da, db);
                    inner[s][ha][hb] = a.rowToCol;
                    score[ha][hb] += a.total;
                }
            }
        }
        int[] headOf = new int[heads];
        if (mode.equals("monotonic")) {
            for (int h = 0; h < heads; h++) {
                headOf[h] = h;
            }
        } else {
            double[] flat = new double[heads * heads];
            for (int i = 0; i < heads; i++) {
                System.arraycopy(score[i], 0, flat, i * heads, heads);
            }
            headOf = Assignment.maximise(lap, flat, heads, heads).rowToCol;
        }
        double total = 0;
        for (int h = 0; h < heads; h++) {
            total += score[h][headOf[h]];
        }
        List<SpaceMap> maps = new ArrayList<>();
        for (int s = 0; s < members.size(); s++) {
            SpaceMatch m = members.get(s);
            int n = m.spaceA().size();
            int cols = m.spaceB().size();
            int da = m.spaceA().headDim();
            int db = m.spaceB().headDim();
            double[] t = new double[n * cols];
            for (int ha = 0; ha < heads; ha++) {
                int hb = headOf[ha];
                fill(t, cols, inner[s][ha][hb], rhos.get(s), ha * da, hb * db, da, db, cols);
            }
            Map<String, Object> st = stats("heads " + mode, total / (n * members.size()), t0);
            st.put("head_order", java.util.Arrays.toString(headOf));
            maps.add(new SpaceMap(m.spaceA().name(), n, cols, t, st));
        }
        return maps;
    }

    /**
     * Head-Perm under the group's head factors ({@link FactoredHeads}): per head pair, the factor
     * permutations by linear assignment of the summed correlations; then the heads by the pairs'
     * totals (or kept in order). Groups without factors keep the assignment above, unchanged.
     */
    private List<SpaceMap> factored(HeadGroup group, List<SpaceMatch> members, List<double[]> rhos, String mode,
                                    long t0) {
        FactoredHeads.Result r = new FactoredHeads(group, members, rhos).solve((score, n) -> {
            Assignment a = Assignment.maximise(lap, score, n, n);
            double[] plan = new double[n * n];
            for (int i = 0; i < n; i++) {
                plan[i * n + a.rowToCol[i]] = 1;
            }
            return plan;
        }, mode.equals("monotonic"));
        int heads = group.heads();
        int[] headOf = new int[heads];
        for (int i = 0; i < heads; i++) {
            for (int j = 0; j < heads; j++) {
                if (r.headPlan()[i * heads + j] == 1) {
                    headOf[i] = j;
                }
            }
        }
        int neurons = 0;
        for (SpaceMatch m : members) {
            neurons += m.spaceA().size();
        }
        List<SpaceMap> maps = new ArrayList<>();
        for (int s = 0; s < members.size(); s++) {
            SpaceMatch m = members.get(s);
            Map<String, Object> st = stats("heads " + mode + " with head factors", r.total() / neurons, t0);
            st.put("head_order", java.util.Arrays.toString(headOf));
            maps.add(new SpaceMap(m.spaceA().name(), m.spaceA().size(), m.spaceB().size(), r.maps().get(s), st));
        }
        return maps;
    }

    /**
     * Writes one block of the 0/1 map: row r0+i takes column c0+rowToCol[i]; a row left over
     * (more anchor neurons than the other has) takes its best-correlated column in the block.
     */
    private static void fill(double[] t, int cols, int[] rowToCol, double[] rho, int r0, int c0, int rows, int width,
                             int rhoCols) {
        for (int i = 0; i < rows; i++) {
            int j = rowToCol[i];
            if (j < 0) {
                double best = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < width; c++) {
                    double v = rho[(r0 + i) * rhoCols + c0 + c];
                    if (v > best) {
                        best = v;
                        j = c;
                    }
                }
            }
            t[(r0 + i) * cols + c0 + j] = 1;
        }
    }

    private static double[] correlation(SpaceMatch m) {
        if (!m.hasCorrelation()) {
            throw new TransfuseException("method perm matches activation correlations (align acts); space "
                    + m.spaceA().name() + " came with weight features");
        }
        return m.correlation().toDoubles();
    }

    private static Map<String, Object> stats(String how, double meanCorrelation, long t0) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("solver", "lap");
        s.put("matching", how);
        s.put("mean_correlation", meanCorrelation);
        s.put("solve_seconds", (System.nanoTime() - t0) / 1e9);
        return s;
    }
}
