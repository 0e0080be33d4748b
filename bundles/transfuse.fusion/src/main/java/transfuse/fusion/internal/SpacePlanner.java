package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.Evidence;
import transfuse.api.align.MapPolicy;
import transfuse.api.align.MapPolicy.Qk;
import transfuse.api.align.MapPolicy.Residual;
import transfuse.api.align.MapPolicy.ResidualStream;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.arch.HeadGroup;
import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.SpaceStat;

/**
 * Finds, space by space in topological order, the map that aligns one model to the anchor.
 * Spaces are planned on demand ({@link #mapping}), so a streaming writer can interleave planning
 * with writing; maps are dropped once every tensor and join that uses them is done
 * ({@link #release}), which keeps only about one layer's maps alive.
 * <p>
 * Per space, as the aligner's {@link MapPolicy} says: a head group is aligned together
 * ({@link Aligner#alignHeads}); a residual stream either gets one map for all its spaces
 * ({@link MapPolicy#stream()}) or, at each join, a combination of the skip's and branch's maps
 * ({@link MapPolicy#residual()}); a space with one tap per producing module (Q and K) may get one
 * map per module ({@link MapPolicy#qk()}); any other space is aligned from its own evidence.
 */
public final class SpacePlanner {
    private final int model;
    private final ModelGraph ga;
    private final ModelGraph gb;
    private final List<HeadGroup> groups;
    private final FusionOptions o;
    private final MapPolicy policy;
    private final Map<String, String> alignerOptions;
    private final Aligner aligner;
    private final ActivationEvidence acts;
    private final ModelWeights wa;
    private final ModelWeights wb;
    private final ProgressListener progress;
    private final ResidualGroups residual;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, SpaceMapping> maps = new HashMap<>();
    /** Spaces already planned, including ones whose maps have since been released. */
    private final java.util.Set<String> planned = new java.util.HashSet<>();
    private final Map<String, Integer> refs = new HashMap<>();
    private final Map<String, Partial> cache = new HashMap<>();
    private final List<SpaceStat> stats = new ArrayList<>();
    private int next;

    /** A tensor of the model with some axes already transported (left by weight-based planning). */
    public record Partial(double[] values, long[] shape, boolean[] done) {
    }

    public SpacePlanner(int model, ModelGraph anchor, ModelGraph other, List<HeadGroup> groups, FusionOptions o,
                        Map<String, String> alignerOptions, Aligner aligner, ActivationEvidence acts,
                        ModelWeights anchorWeights, ModelWeights otherWeights, ProgressListener progress) {
        this.model = model;
        this.ga = anchor;
        this.gb = other;
        this.groups = groups;
        this.o = o;
        this.policy = o.policy();
        this.alignerOptions = alignerOptions;
        this.aligner = aligner;
        this.acts = acts;
        this.wa = anchorWeights;
        this.wb = otherWeights;
        this.progress = progress;
        this.residual = new ResidualGroups(anchor);
        for (int i = 0; i < anchor.spaces().size(); i++) {
            index.put(anchor.spaces().get(i).name(), i);
        }
        for (TensorSpec t : anchor.tensors()) {
            for (int a = 0; a < t.shape().length; a++) {
                if (t.spaceOf(a) != null) {
                    refs.merge(t.spaceOf(a), 1, Integer::sum);
                }
            }
        }
        for (Join j : anchor.joins()) {
            refs.merge(j.skip(), 1, Integer::sum);
            refs.merge(j.branch(), 1, Integer::sum);
        }
    }

    public List<SpaceStat> stats() {
        return stats;
    }

    /** The mapping of a space, planning it (and every earlier space) first if needed. */
    public SpaceMapping mapping(String space) {
        Integer i = index.get(space);
        while (next <= i) {
            plan(ga.spaces().get(next));
            next++;
        }
        SpaceMapping m = maps.get(space);
        if (m == null) {
            throw new IllegalStateException("space " + space + " was released before its last use");
        }
        return m;
    }

    /** A partially transported tensor left by planning, or null; taken once. */
    public Partial takePartial(String tensor) {
        return cache.remove(tensor);
    }

    /** One use of the space is done (a tensor written, a join planned); the map goes after the last. */
    public void release(String space) {
        int left = refs.merge(space, -1, Integer::sum);
        if (left <= 0) {
            maps.remove(space);
        }
    }

    private void plan(NeuronSpace s) {
        if (planned.contains(s.name())) {
            return;
        }
        long start = System.nanoTime();
        List<String> stream = residual.group(s.name());
        Join join = residual.joinInto(s.name());
        HeadGroup group = groupOf(s.name());
        if (stream != null && policy.stream() != null && policy.stream() != ResidualStream.SEPARATE) {
            planStream(s, stream, start);
        } else if (join != null && policy.stream() == null) {
            planJoin(s, join, start);
        } else if ((policy.qk() == Qk.SEPARATE || policy.qk() == Qk.SHARED) && splittable(s)) {
            planSplit(s, start);
        } else if (group != null) {
            planGroup(group, start);
        } else {
            SpaceMap m = aligner.align(match(s, taps(s.name()), null), progress);
            put(s.name(), TransportMap.of(m), Map.of(), "aligned", m.stats(), start);
        }
        progress.progress("align model " + model, next + 1, ga.spaces().size(), s.name());
    }

    /** One map for a whole residual stream, from its first, last or all taps (or the identity). */
    private void planStream(NeuronSpace s, List<String> stream, long start) {
        TransportMap t;
        Map<String, Object> details;
        if (policy.stream() == ResidualStream.IDENTITY) {
            t = identityFor(s);
            details = Map.of("policy", "identity");
        } else {
            List<String> streamTaps = new ArrayList<>();
            for (Tap tap : ga.taps()) {
                if (stream.contains(tap.space())) {
                    streamTaps.add(tap.name());
                }
            }
            if (streamTaps.isEmpty()) {
                throw new TransfuseException("residual stream of " + s.name() + " has no taps to align from");
            }
            List<String> used = switch (policy.stream()) {
                case FIRST -> List.of(streamTaps.get(0));
                case LAST -> List.of(streamTaps.get(streamTaps.size() - 1));
                default -> streamTaps;
            };
            // From activations, the mean correlation over the taps is the concatenated evidence:
            // standardised activations concatenated over T taps are sqrt(2nT(1 - mean rho)) apart.
            boolean fromWeights = o.align() == Evidence.WEIGHTS && policy.stream() == ResidualStream.ALL;
            SpaceMatch match = fromWeights ? features(s, gb.space(s.name()), stream, null) : match(s, used, null);
            SpaceMap m = aligner.align(match, progress);
            t = TransportMap.of(m);
            details = new LinkedHashMap<>(m.stats());
            if (fromWeights) {
                details.put("evidence", "weights of every space of the stream");
            } else {
                details.put("taps", String.join(",", used));
            }
        }
        for (String member : stream) {
            put(member, t, Map.of(), "union", member.equals(s.name()) ? details : Map.of("from", s.name()),
                    member.equals(s.name()) ? start : System.nanoTime());
        }
    }

    /** At a residual add: the sum's map from the skip's and the branch's maps. */
    private void planJoin(NeuronSpace s, Join j, long start) {
        TransportMap skip = maps.get(j.skip()).out();
        TransportMap branch = maps.get(j.branch()).out();
        Residual join = policy.residual();
        TransportMap t = switch (join) {
            case MEAN -> TransportMap.blend(skip, branch, null, 0.5);
            case SKIP_ONLY -> skip;
            case IDENTITY -> identityFor(s);
            case WEIGHTED_SCALAR -> {
                double[] ms = magnitude(j.skip());
                double[] mb = magnitude(j.branch());
                double a = Arrays.stream(ms).sum();
                double b = Arrays.stream(mb).sum();
                yield TransportMap.blend(skip, branch, null, a + b > 0 ? a / (a + b) : 0.5);
            }
            case WEIGHTED_MATRIX -> {
                double[] ms = magnitude(j.skip());
                double[] mb = magnitude(j.branch());
                double[] w = new double[ms.length];
                for (int i = 0; i < w.length; i++) {
                    w[i] = ms[i] + mb[i] > 0 ? ms[i] / (ms[i] + mb[i]) : 0.5;
                }
                yield TransportMap.blend(skip, branch, w, 0);
            }
        };
        release(j.skip());
        release(j.branch());
        put(s.name(), t, Map.of(), "join", Map.of("policy", MapPolicy.label(join), "skip", j.skip(),
                "branch", j.branch()), start);
    }

    /** Separate (or shared) Q and K maps: tap i goes with producing module i. */
    private void planSplit(NeuronSpace s, long start) {
        List<String> taps = taps(s.name());
        List<String> modules = producers(s.name());
        Map<String, TransportMap> overrides = new HashMap<>();
        TransportMap first = null;
        Map<String, Object> details = new LinkedHashMap<>();
        int count = policy.qk() == Qk.SHARED ? 1 : taps.size();
        for (int i = 0; i < count; i++) {
            SpaceMap m = aligner.align(match(s, List.of(taps.get(i)), List.of(modules.get(i))), progress);
            TransportMap t = TransportMap.of(m);
            if (first == null) {
                first = t;
            }
            for (TensorSpec spec : ga.tensors()) {
                if (AxisRoles.module(spec.name()).equals(modules.get(i))) {
                    overrides.put(spec.name(), t);
                }
            }
            String module = modules.get(i);
            String prefix = module.substring(module.lastIndexOf('.') + 1) + ".";
            m.stats().forEach((k, v) -> details.put(prefix + k, v));
        }
        if (policy.qk() == Qk.SHARED) {
            overrides.clear();
        }
        details.put("qk", MapPolicy.label(policy.qk()));
        put(s.name(), first, overrides, "split", details, start);
    }

    private void planGroup(HeadGroup g, long start) {
        List<SpaceMatch> matches = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (String member : g.spaces()) {
            if (!planned.contains(member)) {
                members.add(member);
                matches.add(match(ga.space(member), taps(member), null));
            }
        }
        List<SpaceMap> result = aligner.alignHeads(g, matches, progress);
        for (int i = 0; i < members.size(); i++) {
            put(members.get(i), TransportMap.of(result.get(i)), Map.of(), "heads", result.get(i).stats(),
                    i == 0 ? start : System.nanoTime());
        }
    }

    /** The evidence for a space: correlations at the given taps, or weight rows of the given modules. */
    private SpaceMatch match(NeuronSpace s, List<String> taps, List<String> modules) {
        NeuronSpace sb = gb.space(s.name());
        if (o.align() == Evidence.NONE) {
            return new SpaceMatch(s, sb, Tensor.ofDoubles(new long[] {s.size(), 0}, new double[0]),
                    Tensor.ofDoubles(new long[] {sb.size(), 0}, new double[0]), alignerOptions);
        }
        if (o.align() == Evidence.ACTS && !taps.isEmpty()) {
            List<Dense> cs = new ArrayList<>();
            for (String tap : taps) {
                cs.add(acts.correlation(model, tap));
            }
            Dense c = Dense.mean(cs);
            return SpaceMatch.ofCorrelation(s, sb, Tensor.ofDoubles(new long[] {c.rows(), c.cols()}, c.v()),
                    alignerOptions);
        }
        return features(s, sb, modules);
    }

    /**
     * Rows of every tensor that defines the space's neurons (the space on one output axis, every
     * other spaced axis already planned), the other model's input axes transported first.
     */
    private SpaceMatch features(NeuronSpace s, NeuronSpace sb, List<String> modules) {
        return features(s, sb, List.of(s.name()), modules);
    }

    /**
     * The rows of every tensor that defines one of {@code members} (spaces of s's width: a whole
     * residual stream for {@code residual all}) and is ready when s is planned, concatenated. For a
     * stream planned at its first space those are the embeddings, norms and biases of every space
     * of the stream: a weight matrix reading a later space is not ready, since that space's map
     * needs the stream's.
     */
    private SpaceMatch features(NeuronSpace s, NeuronSpace sb, List<String> members, List<String> modules) {
        List<double[]> fa = new ArrayList<>();
        List<double[]> fb = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        int myIndex = index.get(s.name());
        for (String member : members) {
            for (TensorSpec t : ga.tensors()) {
                int axis = definingAxis(t, member, myIndex);
                if (axis >= 0 && (modules == null || modules.contains(AxisRoles.module(t.name())))) {
                    addRows(t, axis, fa, fb, widths);
                }
            }
        }
        if (fa.isEmpty()) {
            throw new TransfuseException("space " + s.name() + " has no weights that define it and no taps;"
                    + " it cannot be aligned from " + o.align().label());
        }
        int total = widths.stream().mapToInt(Integer::intValue).sum();
        return new SpaceMatch(s, sb, concat(fa, widths, s.size(), total), concat(fb, widths, sb.size(), total),
                alignerOptions);
    }

    /** A defining tensor's rows, the other model's input axes transported; kept for writing. */
    private void addRows(TensorSpec t, int axis, List<double[]> fa, List<double[]> fb, List<Integer> widths) {
        double[] xa = wa.doubles(t.name());
        long[] shapeA = t.shape();
        long[] shapeB = wb.tensor(t.name()).shape();
        double[] xb = wb.doubles(t.name());
        boolean[] done = new boolean[shapeB.length];
        for (int a = 0; a < shapeB.length; a++) {
            String sp = t.spaceOf(a);
            if (sp != null && a != axis) {
                SpaceMapping m = maps.get(sp);
                if (!m.identity()) {
                    xb = AxisTransport.apply(xb, shapeB, a, m.forAxis(t.name(), AxisRoles.isInput(ga, t, a)));
                }
                done[a] = true;
            }
        }
        cache.put(t.name(), new Partial(xb, shapeB.clone(), done));
        fa.add(AxisTransport.axisFirst(xa, shapeA, axis));
        fb.add(AxisTransport.axisFirst(xb, shapeB, axis));
        widths.add((int) (Tensor.numel(shapeA) / shapeA[axis]));
    }

    private static Tensor concat(List<double[]> parts, List<Integer> widths, int n, int total) {
        double[] out = new double[Math.multiplyExact(n, total)];
        int offset = 0;
        for (int p = 0; p < parts.size(); p++) {
            int w = widths.get(p);
            double[] part = parts.get(p);
            for (int i = 0; i < n; i++) {
                System.arraycopy(part, i * w, out, i * total + offset, w);
            }
            offset += w;
        }
        return Tensor.ofDoubles(new long[] {n, total}, out);
    }

    /** The axis on which a tensor defines the space, or -1 (not defining it, or not ready yet). */
    private int definingAxis(TensorSpec t, String space, int spaceIndex) {
        int found = -1;
        for (int a = 0; a < t.shape().length; a++) {
            String sp = t.spaceOf(a);
            if (sp == null) {
                continue;
            }
            if (sp.equals(space)) {
                if (found >= 0 || AxisRoles.isInput(ga, t, a)) {
                    return -1;
                }
                found = a;
            } else if (index.get(sp) >= spaceIndex || !maps.containsKey(sp)) {
                return -1;
            }
        }
        return found;
    }

    /** Q and K: as many taps as producing modules (two or more), and no tensor reads the space. */
    private boolean splittable(NeuronSpace s) {
        List<String> taps = taps(s.name());
        List<String> modules = producers(s.name());
        if (taps.size() < 2 || taps.size() != modules.size()) {
            return false;
        }
        for (TensorSpec t : ga.tensors()) {
            for (int a = 0; a < t.shape().length; a++) {
                if (s.name().equals(t.spaceOf(a)) && AxisRoles.isInput(ga, t, a)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Modules with a tensor whose output axis is the space, in declaration order. */
    private List<String> producers(String space) {
        List<String> modules = new ArrayList<>();
        for (TensorSpec t : ga.tensors()) {
            for (int a = 0; a < t.shape().length; a++) {
                if (space.equals(t.spaceOf(a)) && !AxisRoles.isInput(ga, t, a)) {
                    String m = AxisRoles.module(t.name());
                    if (!modules.contains(m)) {
                        modules.add(m);
                    }
                }
            }
        }
        return modules;
    }

    private List<String> taps(String space) {
        List<String> out = new ArrayList<>();
        for (Tap t : ga.taps()) {
            if (t.space().equals(space)) {
                out.add(t.name());
            }
        }
        return out;
    }

    private HeadGroup groupOf(String space) {
        for (HeadGroup g : groups) {
            if (g.spaces().contains(space)) {
                return g;
            }
        }
        return null;
    }

    /** Mean magnitude over the anchor's taps of a space. */
    private double[] magnitude(String space) {
        List<String> taps = taps(space);
        if (taps.isEmpty()) {
            throw new TransfuseException("residual policy " + MapPolicy.label(policy.residual())
                    + " needs activations of space " + space + ", which has no tap");
        }
        double[] sum = new double[ga.space(space).size()];
        for (String tap : taps) {
            double[] m = acts.magnitude(tap);
            for (int i = 0; i < sum.length; i++) {
                sum[i] += m[i] / taps.size();
            }
        }
        return sum;
    }

    private TransportMap identityFor(NeuronSpace s) {
        int cols = gb.space(s.name()).size();
        if (cols != s.size()) {
            throw new TransfuseException("space " + s.name() + ": the identity map needs equal widths, but the anchor has "
                    + s.size() + " neurons and model " + (model + 1) + " has " + cols);
        }
        return TransportMap.identity(s.size());
    }

    private void put(String space, TransportMap t, Map<String, TransportMap> overrides, String how, Map<String, Object> details,
                     long start) {
        NeuronSpace sa = ga.space(space);
        int cols = gb.space(space).size();
        if (t.rows() != sa.size() || t.cols() != cols) {
            throw new IllegalStateException("aligner " + aligner.name() + " returned a " + t.rows() + " x " + t.cols()
                    + " map for space " + space + ", expected " + sa.size() + " x " + cols);
        }
        maps.put(space, new SpaceMapping(t, overrides));
        planned.add(space);
        stats.add(new SpaceStat(model, space, how, sa.size(), cols, (System.nanoTime() - start) / 1e9, details));
    }
}
