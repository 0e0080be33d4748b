package transfuse.arch.bert;

import java.util.Random;
import java.util.Set;

/**
 * BERT's masking: in each text, 15 % of the non-special tokens (at least one) are chosen as
 * targets; of those 80 % become [MASK], 10 % a random non-special token, 10 % stay. The draw of
 * each text comes from its own generator seeded by (seed, round, text index), so it does not
 * depend on batch composition or size: training uses the optimizer step as round (a resumed run
 * draws the same masks), evaluation a fixed round (the same masks every time).
 */
final class MlmMasking {
    static final double RATE = 0.15;
    static final long EVAL_ROUND = -1;

    private final long maskId;
    private final int vocabSize;
    private final Set<Long> specialIds;

    MlmMasking(long maskId, int vocabSize, Set<Long> specialIds) {
        this.maskId = maskId;
        this.vocabSize = vocabSize;
        this.specialIds = specialIds;
    }

    /**
     * A masked batch.
     *
     * @param ids      corrupted input ids [B, T]
     * @param selected per position of [B, T], whether it is a target
     * @param targets  the original ids of the targets, in row-major order
     */
    record Batch(long[] ids, float[] mask, boolean[] selected, long[] targets, int t) {
    }

    Batch draw(TokenizedTexts texts, int[] indices, long seed, long round) {
        int t = texts.longest(indices);
        long[] ids = texts.padded(indices, t);
        float[] mask = texts.mask(indices, t);
        boolean[] selected = new boolean[ids.length];
        int count = 0;
        for (int r = 0; r < indices.length; r++) {
            int i = indices[r];
            boolean[] special = texts.special()[i];
            int[] candidates = new int[special.length];
            int n = 0;
            for (int j = 0; j < special.length; j++) {
                if (!special[j]) {
                    candidates[n++] = j;
                }
            }
            if (n == 0) {
                continue;
            }
            Random rng = new Random(mix(seed, round, i));
            int k = Math.max(1, (int) Math.round(RATE * n));
            for (int s = 0; s < k; s++) {
                int pick = s + rng.nextInt(n - s);
                int pos = candidates[pick];
                candidates[pick] = candidates[s];
                candidates[s] = pos;
                int flat = r * t + pos;
                selected[flat] = true;
                count++;
                double u = rng.nextDouble();
                if (u < 0.8) {
                    ids[flat] = maskId;
                } else if (u < 0.9) {
                    ids[flat] = randomToken(rng);
                }
            }
        }
        long[] targets = new long[count];
        long[] original = texts.padded(indices, t);
        for (int f = 0, c = 0; f < selected.length; f++) {
            if (selected[f]) {
                targets[c++] = original[f];
            }
        }
        return new Batch(ids, mask, selected, targets, t);
    }

    private long randomToken(Random rng) {
        long id;
        do {
            id = rng.nextInt(vocabSize);
        } while (specialIds.contains(id));
        return id;
    }

    private static long mix(long seed, long round, int index) {
        long h = seed * 0x9E3779B97F4A7C15L;
        h = (h ^ (round + 0x632BE59BD9B4E019L)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (index * 0x94D049BB133111EBL)) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 31);
    }
}
