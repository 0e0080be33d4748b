package transfuse.fusion.align;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.align.SpaceMatch;
import transfuse.api.arch.HeadFactor;
import transfuse.api.arch.HeadGroup;

/**
 * Head matching that honours a group's {@link HeadFactor}s. Inside a pair of heads (anchor head
 * a, other head b) a member's map is the Kronecker product of one plan per factor of its heads:
 * the identity for a fixed factor (rotary Q/K dims never move), and for a named factor the one
 * plan of that symmetry, shared by every member naming it (value rows and output-projection
 * columns take one value order). The heads themselves are matched by one plan over the group,
 * scored by what each head pair reaches under those constraints. Architecture-neutral: only the
 * declaration is read.
 * <p>
 * The plans of a head pair maximise the summed score of the matched neurons of all members. With
 * several named factors in one member (query heads x value dims) that objective is not linear, so
 * it is found by coordinate ascent: each symmetry in turn, the others held, is a linear
 * assignment over its own size whose score sums every member naming it. The first pass solves
 * the symmetries in order of first appearance from the members whose other named factors are
 * already solved (a query order from the Q heads, then a value order from v and the context with
 * that query order); later passes use every member, until no plan changes ({@link #ROUNDS} at most).
 * With 0/1 plans the objective never decreases; with soft plans the same fixed number of passes
 * keeps the result reproducible.
 */
final class FactoredHeads {
    /** The square matching of one step: a row-stochastic n x n plan that maximises sum(score * plan). */
    interface Matcher {
        double[] plan(double[] score, int n);
    }

    /** Refinement passes after the first, at most; 0/1 plans usually settle in one or two. */
    static final int ROUNDS = 4;

    private final List<Member> members = new ArrayList<>();
    /** Symmetry name to size, in order of first appearance over the members and their factors. */
    private final Map<String, Integer> symmetries = new LinkedHashMap<>();
    private final int heads;

    /** One member: its score (n x n over the whole space) and, per neuron of a head, its index along each factor. */
    private record Member(String space, int headDim, int width, List<HeadFactor> factors, int[][] digits,
                          double[] score) {
        boolean names(String symmetry) {
            return factors.stream().anyMatch(f -> symmetry.equals(f.symmetry()));
        }
    }

    /** The result: per member (in the order given) its n x n map; the head plan; the summed score reached. */
    record Result(List<double[]> maps, double[] headPlan, double total) {
    }

    /**
     * @param scores per member, its n x n score (higher is a better match), e.g. correlations
     */
    FactoredHeads(HeadGroup group, List<SpaceMatch> matches, List<double[]> scores) {
        this.heads = group.heads();
        for (int s = 0; s < matches.size(); s++) {
            SpaceMatch m = matches.get(s);
            String space = m.spaceA().name();
            if (m.spaceA().heads() != heads || m.spaceB().heads() != heads || m.spaceA().size() != m.spaceB().size()) {
                // Without factors only ot's heads permute/monotonic come here: say how to do without.
                boolean factored = !group.inside().isEmpty();
                throw new TransfuseException("head group " + group.name() + ": " + (factored ? "head factors need"
                        : "heads moved as wholes need") + " the same heads in every model, but space " + space
                        + " has " + m.spaceA().heads() + " x " + m.spaceA().headDim() + " in the anchor and "
                        + m.spaceB().heads() + " x " + m.spaceB().headDim() + " in the other model"
                        + (factored ? "" : " (heads ignore aligns each space on its own)"));
            }
            int d = m.spaceA().headDim();
            List<HeadFactor> factors = group.factorsOf(space, d);
            List<String> named = new ArrayList<>();
            for (HeadFactor f : factors) {
                if (f.isFixed()) {
                    continue;
                }
                if (named.contains(f.symmetry())) {
                    throw new TransfuseException("head group " + group.name() + ": space " + space + " names symmetry "
                            + f.symmetry() + " twice");
                }
                named.add(f.symmetry());
                Integer known = symmetries.putIfAbsent(f.symmetry(), f.size());
                if (known != null && known != f.size()) {
                    throw new TransfuseException("head group " + group.name() + ": symmetry " + f.symmetry()
                            + " has size " + known + " in one member and " + f.size() + " in " + space);
                }
            }
            members.add(new Member(space, d, m.spaceA().size(), factors, digits(factors, d), scores.get(s)));
        }
    }

    /** Row-major digits: digits[p][f] = the index of neuron p of a head along factor f. */
    private static int[][] digits(List<HeadFactor> factors, int d) {
        int[][] out = new int[d][factors.size()];
        for (int p = 0; p < d; p++) {
            int rest = p;
            int stride = d;
            for (int f = 0; f < factors.size(); f++) {
                stride /= factors.get(f).size();
                out[p][f] = rest / stride;
                rest %= stride;
            }
        }
        return out;
    }

    /**
     * Solves every head pair (only equal heads when {@code keepHeadOrder}), matches the heads on
     * the pairs' totals (or keeps their order) and assembles the members' maps.
     */
    Result solve(Matcher matcher, boolean keepHeadOrder) {
        // plans[ha][hb]: per symmetry, the plan of that head pair (null where the pair was not solved).
        List<List<Map<String, double[]>>> plans = new ArrayList<>();
        double[] score = new double[heads * heads];
        for (int ha = 0; ha < heads; ha++) {
            List<Map<String, double[]>> row = new ArrayList<>();
            for (int hb = 0; hb < heads; hb++) {
                if (keepHeadOrder && ha != hb) {
                    row.add(null);
                    continue;
                }
                Map<String, double[]> p = solvePair(ha, hb, matcher);
                row.add(p);
                score[ha * heads + hb] = objective(ha, hb, p);
            }
            plans.add(row);
        }
        double[] headPlan;
        if (keepHeadOrder) {
            headPlan = new double[heads * heads];
            for (int h = 0; h < heads; h++) {
                headPlan[h * heads + h] = 1;
            }
        } else {
            headPlan = matcher.plan(score, heads);
        }
        double total = 0;
        for (int k = 0; k < score.length; k++) {
            total += headPlan[k] * score[k];
        }
        List<double[]> maps = new ArrayList<>();
        for (Member m : members) {
            double[] t = new double[m.width() * m.width()];
            for (int ha = 0; ha < heads; ha++) {
                for (int hb = 0; hb < heads; hb++) {
                    double h = headPlan[ha * heads + hb];
                    if (h == 0) {
                        continue;
                    }
                    Map<String, double[]> p = plans.get(ha).get(hb);
                    for (int i = 0; i < m.headDim(); i++) {
                        for (int j = 0; j < m.headDim(); j++) {
                            double w = entry(m, p, i, j, -1);
                            if (w != 0) {
                                t[(ha * m.headDim() + i) * m.width() + hb * m.headDim() + j] = h * w;
                            }
                        }
                    }
                }
            }
            maps.add(t);
        }
        return new Result(maps, headPlan, total);
    }

    /** The plan of every symmetry for one head pair, by the coordinate ascent the class comment describes. */
    private Map<String, double[]> solvePair(int ha, int hb, Matcher matcher) {
        Map<String, double[]> plans = new LinkedHashMap<>();
        for (String x : symmetries.keySet()) {
            List<Member> ready = new ArrayList<>();
            for (Member m : members) {
                if (m.names(x) && otherNamedSolved(m, x, plans)) {
                    ready.add(m);
                }
            }
            Map<String, double[]> held = withUniform(plans);
            plans.put(x, matcher.plan(step(x, ready.isEmpty() ? members : ready, ha, hb, held), symmetries.get(x)));
        }
        for (int round = 0; round < ROUNDS && symmetries.size() > 1; round++) {
            boolean changed = false;
            for (String x : symmetries.keySet()) {
                double[] next = matcher.plan(step(x, members, ha, hb, plans), symmetries.get(x));
                changed |= !java.util.Arrays.equals(next, plans.get(x));
                plans.put(x, next);
            }
            if (!changed) {
                break;
            }
        }
        return plans;
    }

    private static boolean otherNamedSolved(Member m, String x, Map<String, double[]> plans) {
        for (HeadFactor f : m.factors()) {
            if (!f.isFixed() && !f.symmetry().equals(x) && !plans.containsKey(f.symmetry())) {
                return false;
            }
        }
        return true;
    }

    /** The solved plans, and a uniform plan (no information) for every symmetry not solved yet. */
    private Map<String, double[]> withUniform(Map<String, double[]> solved) {
        Map<String, double[]> out = new LinkedHashMap<>(solved);
        symmetries.forEach((name, size) -> out.computeIfAbsent(name, k -> {
            double[] u = new double[size * size];
            java.util.Arrays.fill(u, 1.0 / size);
            return u;
        }));
        return out;
    }

    /** The score of symmetry x's step: per (x, x'), the members' scores weighted by every other factor's plan. */
    private double[] step(String x, List<Member> from, int ha, int hb, Map<String, double[]> plans) {
        int k = symmetries.get(x);
        double[] c = new double[k * k];
        for (Member m : from) {
            int fx = -1;
            for (int f = 0; f < m.factors().size(); f++) {
                if (x.equals(m.factors().get(f).symmetry())) {
                    fx = f;
                }
            }
            if (fx < 0) {
                continue;
            }
            int d = m.headDim();
            for (int i = 0; i < d; i++) {
                int row = (ha * d + i) * m.width() + hb * d;
                for (int j = 0; j < d; j++) {
                    double w = entry(m, plans, i, j, fx);
                    if (w != 0) {
                        c[m.digits()[i][fx] * k + m.digits()[j][fx]] += w * m.score()[row + j];
                    }
                }
            }
        }
        return c;
    }

    /** The summed score of all members for one head pair under these plans. */
    private double objective(int ha, int hb, Map<String, double[]> plans) {
        double total = 0;
        for (Member m : members) {
            int d = m.headDim();
            for (int i = 0; i < d; i++) {
                int row = (ha * d + i) * m.width() + hb * d;
                for (int j = 0; j < d; j++) {
                    double w = entry(m, plans, i, j, -1);
                    if (w != 0) {
                        total += w * m.score()[row + j];
                    }
                }
            }
        }
        return total;
    }

    /** The Kronecker product's entry (i, j) inside a head, leaving out factor {@code skip} (-1: none). */
    private static double entry(Member m, Map<String, double[]> plans, int i, int j, int skip) {
        double w = 1;
        for (int f = 0; f < m.factors().size() && w != 0; f++) {
            if (f == skip) {
                continue;
            }
            HeadFactor factor = m.factors().get(f);
            int a = m.digits()[i][f];
            int b = m.digits()[j][f];
            if (factor.isFixed()) {
                w = a == b ? w : 0;
            } else {
                w *= plans.get(factor.symmetry())[a * factor.size() + b];
            }
        }
        return w;
    }
}
