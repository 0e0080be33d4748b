package transfuse.arch.bert;

import java.util.Arrays;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

/**
 * The forward inputs of a BERT, checked against its config: {@code input_ids} integer [N, T]
 * with every id in [0, vocab_size) and T at most max_position_embeddings, an optional
 * {@code attention_mask} [N, T] of 0/1 (all ones when absent), and optional
 * {@code token_type_ids} [N, T] below type_vocab_size.
 */
record BertInputs(int n, int t, long[] ids, float[] mask, long[] types) {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    static BertInputs of(BertConfig c, Map<String, Tensor> inputs) {
        Tensor idsT = inputs.get(INPUT_IDS);
        if (idsT == null) {
            throw new TransfuseException("the bert architecture needs input '" + INPUT_IDS + "' (int64 [N, T]), got "
                    + inputs.keySet());
        }
        long[] shape = idsT.shape();
        if (shape.length != 2 || shape[1] == 0) {
            throw new TransfuseException(INPUT_IDS + " must be [N, T] with T > 0, found shape " + Arrays.toString(shape));
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
        checkRange(ids, t, c.vocabSize(), INPUT_IDS, "vocab_size");
        float[] mask = new float[ids.length];
        Tensor m = inputs.get(ATTENTION_MASK);
        if (m == null) {
            Arrays.fill(mask, 1f);
        } else {
            sameShape(m, shape, ATTENTION_MASK);
            double[] v = m.toDoubles();
            for (int i = 0; i < v.length; i++) {
                if (v[i] != 0 && v[i] != 1) {
                    throw new TransfuseException(ATTENTION_MASK + " must hold 0 or 1, found " + v[i] + " at "
                            + position(i, t));
                }
                mask[i] = (float) v[i];
            }
        }
        long[] types = null;
        Tensor tt = inputs.get(TOKEN_TYPE_IDS);
        if (tt != null) {
            sameShape(tt, shape, TOKEN_TYPE_IDS);
            types = tt.toLongs();
            checkRange(types, t, c.typeVocabSize(), TOKEN_TYPE_IDS, "type_vocab_size");
        }
        return new BertInputs(n, t, ids, mask, types);
    }

    private static void checkRange(long[] ids, int t, int limit, String what, String field) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= limit) {
                throw new TransfuseException(what + " holds id " + ids[i] + " at " + position(i, t) + " but " + field
                        + " is " + limit);
            }
        }
    }

    private static void sameShape(Tensor x, long[] shape, String what) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new TransfuseException(what + " has shape " + Arrays.toString(x.shape()) + " but input_ids has "
                    + Arrays.toString(shape));
        }
    }

    private static String position(int flat, int t) {
        return "[" + flat / t + ", " + flat % t + "]";
    }
}
