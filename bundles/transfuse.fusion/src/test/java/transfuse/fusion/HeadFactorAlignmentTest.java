package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.arch.HeadFactor;
import transfuse.api.arch.HeadGroup;
import transfuse.api.model.NeuronSpace;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * The aligners honour head factors, from the declaration alone: a group shaped like grouped-query
 * attention (2 KV heads of 2 query heads, head size 3) with q = [query, fixed], k = [fixed],
 * v = [value], context = [query, value]. Whatever the evidence, an exact map moves heads as
 * wholes, never a fixed dim, and gives every member naming a symmetry one order of it per head.
 */
class HeadFactorAlignmentTest {
    private static final int HEADS = 2;
    private static final int R = 2;
    private static final int HD = 3;
    private static final List<String> MEMBERS = List.of("q", "k", "v", "c");
    private static final HeadGroup GROUP = new HeadGroup("attn", HEADS, MEMBERS, Map.of(
            "q", List.of(HeadFactor.free("query", R), HeadFactor.fixed(HD)),
            "k", List.of(HeadFactor.fixed(HD)),
            "v", List.of(HeadFactor.free("value", HD)),
            "c", List.of(HeadFactor.free("query", R), HeadFactor.free("value", HD))));

    private static int headDim(String member) {
        return member.equals("q") || member.equals("c") ? R * HD : HD;
    }

    /** Random correlations in [-1, 1]: they favour moves no rotary model allows (a k dim swap, v and c apart). */
    private static List<SpaceMatch> randomEvidence(long seed, Map<String, String> options) {
        Random r = new Random(seed);
        List<SpaceMatch> out = new ArrayList<>();
        for (String m : MEMBERS) {
            int n = HEADS * headDim(m);
            double[] rho = new double[n * n];
            for (int k = 0; k < rho.length; k++) {
                rho[k] = 2 * r.nextDouble() - 1;
            }
            NeuronSpace s = new NeuronSpace(m, n, HEADS);
            out.add(SpaceMatch.ofCorrelation(s, s, Tensor.ofDoubles(new long[] {n, n}, rho), options));
        }
        return out;
    }

    /** The permutation of a 0/1 map (row i takes column p[i]); fails on anything else. */
    private static int[] permutation(SpaceMap m) {
        int[] p = new int[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            int ones = 0;
            for (int j = 0; j < m.cols(); j++) {
                double v = m.t()[i * m.cols() + j];
                assertTrue(v == 0 || v == 1, m.space() + ": entry " + v + " of an exact map");
                if (v == 1) {
                    p[i] = j;
                    ones++;
                }
            }
            assertEquals(1, ones, m.space() + " row " + i);
        }
        return p;
    }

    /** Checks a head-factor-legal set of permutations: one head order, fixed dims kept, shared symmetries equal. */
    private static void assertLegal(List<SpaceMap> maps, String what) {
        int[] q = permutation(maps.get(0));
        int[] k = permutation(maps.get(1));
        int[] v = permutation(maps.get(2));
        int[] c = permutation(maps.get(3));
        for (int h = 0; h < HEADS; h++) {
            int hb = k[h * HD] / HD;
            for (int j = 0; j < HD; j++) {
                assertEquals(hb * HD + j, k[h * HD + j], what + ": k dim " + j + " of head " + h + " moved");
                assertEquals(hb, v[h * HD + j] / HD, what + ": v head " + h + " moved apart from k");
            }
            for (int x = 0; x < R; x++) {
                for (int y = 0; y < HD; y++) {
                    int qi = q[h * R * HD + x * HD + y] - hb * R * HD;
                    int ci = c[h * R * HD + x * HD + y] - hb * R * HD;
                    assertTrue(qi >= 0 && qi < R * HD && ci >= 0 && ci < R * HD, what + ": q or c head moved apart");
                    assertEquals(y, qi % HD, what + ": a q dim moved (rotary)");
                    assertEquals(qi / HD, ci / HD, what + ": q and c query orders differ");
                    assertEquals(v[h * HD + y] - hb * HD, ci % HD, what + ": v and c value orders differ");
                }
            }
        }
    }

    @Test
    void exactMapsAreLegalWhateverTheEvidenceFavours() {
        Aligner perm = TestServices.get().aligner("perm");
        Aligner ot = TestServices.get().aligner("ot");
        for (long seed = 1; seed <= 5; seed++) {
            assertLegal(perm.alignHeads(GROUP, randomEvidence(seed, Map.of()), ProgressListener.NONE),
                    "perm, seed " + seed);
            assertLegal(perm.alignHeads(GROUP, randomEvidence(seed, Map.of("heads", "monotonic")), ProgressListener.NONE),
                    "perm monotonic, seed " + seed);
            assertLegal(ot.alignHeads(GROUP, randomEvidence(seed, Map.of("solver", "emd")), ProgressListener.NONE),
                    "ot emd, seed " + seed);
        }
    }

    @Test
    void withoutFactorsTheSameEvidenceMovesFixedDims() {
        // The check above can fail: the factor-free group (ViT's meaning) lets this evidence reorder k's dims.
        HeadGroup free = new HeadGroup("attn", HEADS, MEMBERS);
        int[] k = permutation(TestServices.get().aligner("perm")
                .alignHeads(free, randomEvidence(1, Map.of()), ProgressListener.NONE).get(1));
        boolean moved = false;
        for (int i = 0; i < k.length; i++) {
            moved |= k[i] % HD != i % HD;
        }
        assertTrue(moved, "random evidence kept every k dim in place; the legality check would not notice");
    }

    @Test
    void exactMapsRecoverALegalPermutationFromItsOwnCorrelations() {
        // B = a legal move of A: heads swapped, query heads swapped in head 0, value dims rotated in head 1.
        int[] heads = {1, 0};
        int[][] query = {{1, 0}, {0, 1}};
        int[][] value = {{0, 1, 2}, {1, 2, 0}};
        Map<String, int[]> truth = Map.of(
                "q", legal(heads, R * HD, (h, i) -> query[h][i / HD] * HD + i % HD),
                "k", legal(heads, HD, (h, i) -> i),
                "v", legal(heads, HD, (h, i) -> value[h][i]),
                "c", legal(heads, R * HD, (h, i) -> query[h][i / HD] * HD + value[h][i % HD]));
        Random r = new Random(3);
        for (Map<String, String> options : List.of(Map.<String, String>of(), Map.of("solver", "emd"))) {
            List<SpaceMatch> matches = new ArrayList<>();
            for (String m : MEMBERS) {
                int n = HEADS * headDim(m);
                double[] rho = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        rho[i * n + j] = j == truth.get(m)[i] ? 0.9 : 0.3 * (2 * r.nextDouble() - 1);
                    }
                }
                NeuronSpace s = new NeuronSpace(m, n, HEADS);
                matches.add(SpaceMatch.ofCorrelation(s, s, Tensor.ofDoubles(new long[] {n, n}, rho), options));
            }
            Aligner a = TestServices.get().aligner(options.isEmpty() ? "perm" : "ot");
            List<SpaceMap> maps = a.alignHeads(GROUP, matches, ProgressListener.NONE);
            for (int s = 0; s < MEMBERS.size(); s++) {
                assertArrayEquals(truth.get(MEMBERS.get(s)), permutation(maps.get(s)), a.name() + ": " + MEMBERS.get(s));
            }
        }
    }

    @Test
    void factorsWithUnequalHeadsAreRefusedInOneLine() {
        // A head's factors describe the anchor's heads; another head size has no factor order to match.
        List<SpaceMatch> matches = new ArrayList<>(randomEvidence(1, Map.of()));
        NeuronSpace wide = new NeuronSpace("k", HEADS * (HD + 1), HEADS);
        matches.set(1, SpaceMatch.ofCorrelation(matches.get(1).spaceA(), wide,
                Tensor.ofDoubles(new long[] {HEADS * HD, wide.size()}, new double[HEADS * HD * wide.size()]), Map.of()));
        TransfuseException e = assertThrows(TransfuseException.class,
                () -> TestServices.get().aligner("perm").alignHeads(GROUP, matches, ProgressListener.NONE));
        assertEquals("head group attn: head factors need the same heads in every model, but space k has 2 x 3 in the"
                + " anchor and 2 x 4 in the other model", e.getMessage());
    }

    private interface Inner {
        int at(int head, int i);
    }

    private static int[] legal(int[] heads, int d, Inner inner) {
        int[] p = new int[HEADS * d];
        for (int h = 0; h < HEADS; h++) {
            for (int i = 0; i < d; i++) {
                p[h * d + i] = heads[h] * d + inner.at(h, i);
            }
        }
        return p;
    }

    @Test
    void sinkhornMapsHaveTheSameStructure() {
        // Soft maps: rows sum to 1, no mass moves a k dim, and v's map is c's summed over the query
        // heads (both are the head plan times the one value plan; c's query plan rows sum to 1).
        List<SpaceMap> maps = TestServices.get().aligner("ot").alignHeads(GROUP,
                randomEvidence(7, Map.of("solver", "sinkhorn")), ProgressListener.NONE);
        for (SpaceMap m : maps) {
            for (int i = 0; i < m.rows(); i++) {
                double sum = 0;
                for (int j = 0; j < m.cols(); j++) {
                    sum += m.t()[i * m.cols() + j];
                }
                assertEquals(1, sum, 1e-9, m.space() + " row " + i);
            }
        }
        SpaceMap k = maps.get(1);
        SpaceMap v = maps.get(2);
        SpaceMap c = maps.get(3);
        boolean soft = false;
        for (int i = 0; i < k.rows(); i++) {
            for (int j = 0; j < k.cols(); j++) {
                if (i % HD != j % HD) {
                    assertEquals(0, k.t()[i * k.cols() + j], "k: mass moved dim " + i % HD + " to " + j % HD);
                }
                soft |= k.t()[i * k.cols() + j] > 0 && k.t()[i * k.cols() + j] < 1;
            }
        }
        assertTrue(soft, "the head plan is soft at the default reg");
        for (int ha = 0; ha < HEADS; ha++) {
            for (int hb = 0; hb < HEADS; hb++) {
                for (int y = 0; y < HD; y++) {
                    for (int y2 = 0; y2 < HD; y2++) {
                        for (int x = 0; x < R; x++) {
                            double summed = 0;
                            for (int x2 = 0; x2 < R; x2++) {
                                summed += c.t()[(ha * R * HD + x * HD + y) * c.cols() + hb * R * HD + x2 * HD + y2];
                            }
                            assertEquals(v.t()[(ha * HD + y) * v.cols() + hb * HD + y2], summed, 1e-12,
                                    "v and c value plans differ");
                        }
                    }
                }
            }
        }
    }
}
