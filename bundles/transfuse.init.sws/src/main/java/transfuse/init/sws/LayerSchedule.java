package transfuse.init.sws;

import java.util.Arrays;

/**
 * Which stage (or source layer) each layer of a descendant starts from. The rules are documented
 * in docs/sws.md, "The default schedule".
 */
public final class LayerSchedule {
    private LayerSchedule() {
    }

    /**
     * The Aux-Net's own schedule: stage s repeated {@code stages[s]} times.
     */
    public static int[] expand(int[] stages) {
        int[] out = new int[Arrays.stream(stages).sum()];
        int i = 0;
        for (int s = 0; s < stages.length; s++) {
            for (int k = 0; k < stages[s]; k++) {
                out[i++] = s;
            }
        }
        return out;
    }

    /**
     * The default schedule of a descendant of depth {@code depth} grown from stages of the given
     * lengths. For {@code depth >= S} every stage, in order, gets a repeat count proportional to
     * its length (largest remainder, ties to the earlier stage, at least one each); for
     * {@code depth < S}, {@link #evenlySpaced} stages.
     *
     * @throws IllegalArgumentException for a depth below 1 or a stage length below 1
     */
    public static int[] forDepth(int[] stages, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be at least 1, got " + depth);
        }
        for (int n : stages) {
            if (n < 1) {
                throw new IllegalArgumentException("stage lengths must be positive, got " + Arrays.toString(stages));
            }
        }
        if (depth < stages.length) {
            return evenlySpaced(stages.length, depth);
        }
        return expand(repeats(stages, depth));
    }

    /**
     * {@code count} of {@code n} indices, one from the middle of each of {@code count} equal
     * segments: index {@code floor((2i + 1) * n / (2 * count))} (strictly increasing when
     * {@code count <= n}; every other layer, 1, 3, 5, ..., when halving).
     */
    public static int[] evenlySpaced(int n, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = (int) ((2L * i + 1) * n / (2L * count));
        }
        return out;
    }

    /**
     * Repeat counts summing to {@code depth >= S}, proportional to the stage lengths: a stage whose
     * share {@code depth * n_s / sum} is below 1 gets 1 and leaves the share; the rest is split
     * again among the others until every share is at least 1; then each gets the floor of its
     * share and the layers left go to the largest remainders, the earlier stage on a tie.
     */
    static int[] repeats(int[] stages, int depth) {
        int[] out = new int[stages.length];
        boolean[] fixed = new boolean[stages.length];
        boolean changed = true;
        while (changed) {
            changed = false;
            long left = depth;
            long weight = 0;
            for (int s = 0; s < stages.length; s++) {
                if (fixed[s]) {
                    left -= 1;
                } else {
                    weight += stages[s];
                }
            }
            for (int s = 0; s < stages.length; s++) {
                if (!fixed[s] && left * stages[s] < weight) {
                    fixed[s] = true;
                    changed = true;
                }
            }
            if (!changed) {
                largestRemainder(stages, fixed, left, weight, out);
            }
        }
        for (int s = 0; s < stages.length; s++) {
            if (fixed[s]) {
                out[s] = 1;
            }
        }
        return out;
    }

    /** Splits {@code left} layers among the free stages by exact integer shares. */
    private static void largestRemainder(int[] stages, boolean[] fixed, long left, long weight, int[] out) {
        long[] remainder = new long[stages.length];
        long given = 0;
        for (int s = 0; s < stages.length; s++) {
            if (!fixed[s]) {
                out[s] = (int) (left * stages[s] / weight);
                remainder[s] = left * stages[s] % weight;
                given += out[s];
            }
        }
        for (long k = given; k < left; k++) {
            int best = -1;
            for (int s = 0; s < stages.length; s++) {
                if (!fixed[s] && (best < 0 || remainder[s] > remainder[best])) {
                    best = s;
                }
            }
            out[best]++;
            remainder[best] = -1; // each stage gets at most one of the layers left over
        }
    }

    /** The schedule as the command line writes it, e.g. {@code 0,0,1,2}. */
    public static String format(int[] schedule) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < schedule.length; i++) {
            b.append(i == 0 ? "" : ",").append(schedule[i]);
        }
        return b.toString();
    }
}
