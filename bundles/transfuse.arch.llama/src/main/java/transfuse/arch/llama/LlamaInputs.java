package transfuse.arch.llama;

import java.util.Arrays;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

/**
 * The forward inputs of a Llama, checked against its config: {@code input_ids} integer [N, T]
 * with every id in [0, vocab_size) and T at most max_position_embeddings, and an optional
 * {@code attention_mask} [N, T] of 0/1 (all ones when absent). Positions are 0 .. T-1 in every
 * row, so padding belongs on the right (as the data sets' inputs are padded).
 *
 * @param lengths per row, its number of unmasked tokens (the tokens a tap keeps)
 */
record LlamaInputs(int n, int t, long[] ids, float[] mask, int[] lengths) {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";

    static LlamaInputs of(LlamaConfig c, Map<String, Tensor> inputs) {
        Tensor idsT = inputs.get(INPUT_IDS);
        if (idsT == null) {
            throw new TransfuseException("the llama architecture needs input '" + INPUT_IDS + "' (int64 [N, T]), got "
                    + inputs.keySet());
        }
        long[] shape = idsT.shape();
        if (shape.length != 2 || shape[0] == 0 || shape[1] == 0) {
            throw new TransfuseException(INPUT_IDS + " must be [N, T] with N, T > 0, found shape "
                    + Arrays.toString(shape));
        }
        if (idsT.dtype().isFloating()) {
            throw new TransfuseException(INPUT_IDS + " must hold integers (int64), found " + idsT.dtype());
        }
        int n = Math.toIntExact(shape[0]), t = Math.toIntExact(shape[1]);
        if (t > c.maxPositions()) {
            throw new TransfuseException(INPUT_IDS + " has sequences of " + t + " tokens but max_position_embeddings is "
                    + c.maxPositions());
        }
        long[] ids = idsT.toLongs();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= c.vocabSize()) {
                throw new TransfuseException(INPUT_IDS + " holds id " + ids[i] + " at " + position(i, t)
                        + " but vocab_size is " + c.vocabSize());
            }
        }
        float[] mask = new float[ids.length];
        Tensor m = inputs.get(ATTENTION_MASK);
        if (m == null) {
            Arrays.fill(mask, 1f);
        } else {
            if (!Arrays.equals(m.shape(), shape)) {
                throw new TransfuseException(ATTENTION_MASK + " has shape " + Arrays.toString(m.shape())
                        + " but input_ids has " + Arrays.toString(shape));
            }
            double[] v = m.toDoubles();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0 && v[i] != 1) {
                    throw new TransfuseException(ATTENTION_MASK + " must hold 0 or 1, found " + v[i] + " at "
                            + position(i, t));
                }
                mask[i] = (float) v[i];
            }
        }
        int[] lengths = new int[n];
        for (int i = 0; i < mask.length; i++) {
            lengths[i / t] += (int) mask[i];
        }
        return new LlamaInputs(n, t, ids, mask, lengths);
    }

    private static String position(int flat, int t) {
        return "[" + flat / t + ", " + flat % t + "]";
    }
}
