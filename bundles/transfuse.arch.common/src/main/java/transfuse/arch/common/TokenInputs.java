package transfuse.arch.common;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

/**
 * A text model's forward inputs: checked reads of {@code input_ids} integer [N, T] with T at most
 * the position table, ids within a vocabulary, and an optional 0/1 {@code attention_mask} of the
 * same shape (one-line errors name the input and, for a bad value, its [row, column]); and the
 * inputs of tokenized texts, padded on the right per batch to its longest member.
 */
public final class TokenInputs {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";

    private TokenInputs() {
    }

    /**
     * The {@code input_ids} tensor, present, [N, T] with T > 0, integer, and T at most maxPositions.
     *
     * @param arch    names the architecture in the message when the input is absent
     * @param rowsToo whether N must be positive as well
     */
    public static Tensor inputIds(Map<String, Tensor> inputs, String arch, boolean rowsToo, int maxPositions) {
        Tensor idsT = inputs.get(INPUT_IDS);
        if (idsT == null) {
            throw new TransfuseException("the " + arch + " architecture needs input '" + INPUT_IDS
                    + "' (int64 [N, T]), got " + inputs.keySet());
        }
        long[] shape = idsT.shape();
        if (shape.length != 2 || (rowsToo && shape[0] == 0) || shape[1] == 0) {
            throw new TransfuseException(INPUT_IDS + " must be [N, T] with " + (rowsToo ? "N, T > 0" : "T > 0")
                    + ", found shape " + Arrays.toString(shape));
        }
        if (idsT.dtype().isFloating()) {
            throw new TransfuseException(INPUT_IDS + " must hold integers (int64), found " + idsT.dtype());
        }
        Math.toIntExact(shape[0]);
        int t = Math.toIntExact(shape[1]);
        if (t > maxPositions) {
            throw new TransfuseException(INPUT_IDS + " has sequences of " + t
                    + " tokens but max_position_embeddings is " + maxPositions);
        }
        return idsT;
    }

    /**
     * @param ids   row-major [N, t]
     * @param what  the input, {@code field} the config field that sets {@code limit}, for the message
     * @throws TransfuseException at the first id outside [0, limit)
     */
    public static void checkRange(long[] ids, int t, int limit, String what, String field) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= limit) {
                throw new TransfuseException(what + " holds id " + ids[i] + " at " + position(i, t) + " but " + field
                        + " is " + limit);
            }
        }
    }

    /** The attention mask as floats [N, T] (row-major), all ones when the input is absent. */
    public static float[] attentionMask(Map<String, Tensor> inputs, long[] shape) {
        int t = Math.toIntExact(shape[1]);
        float[] mask = new float[Math.toIntExact(shape[0] * shape[1])];
        Tensor m = inputs.get(ATTENTION_MASK);
        if (m == null) {
            Arrays.fill(mask, 1f);
            return mask;
        }
        sameShape(m, shape, ATTENTION_MASK);
        double[] v = m.toDoubles();
        for (int i = 0; i < v.length; i++) {
            if (v[i] != 0 && v[i] != 1) {
                throw new TransfuseException(ATTENTION_MASK + " must hold 0 or 1, found " + v[i] + " at "
                        + position(i, t));
            }
            mask[i] = (float) v[i];
        }
        return mask;
    }

    /** @throws TransfuseException when x's shape is not input_ids' */
    public static void sameShape(Tensor x, long[] shape, String what) {
        if (!Arrays.equals(x.shape(), shape)) {
            throw new TransfuseException(what + " has shape " + Arrays.toString(x.shape()) + " but input_ids has "
                    + Arrays.toString(shape));
        }
    }

    /** The most tokens among the rows, at least 1. */
    public static int longest(long[][] ids, int[] rows) {
        int t = 1;
        for (int i : rows) {
            t = Math.max(t, ids[i].length);
        }
        return t;
    }

    /** The rows' ids [rows, t], row-major, padded on the right with padId. */
    public static long[] padded(long[][] ids, int[] rows, int t, long padId) {
        long[] out = new long[rows.length * t];
        Arrays.fill(out, padId);
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(ids[rows[r]], 0, out, r * t, ids[rows[r]].length);
        }
        return out;
    }

    /** input_ids and attention_mask (int64 [to - from, T], padded to the longest) of texts [from, to). */
    public static Map<String, Tensor> tensors(long[][] ids, int from, int to, long padId) {
        int[] rows = new int[to - from];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = from + i;
        }
        int t = longest(ids, rows);
        long[] mask = new long[rows.length * t];
        for (int r = 0; r < rows.length; r++) {
            Arrays.fill(mask, r * t, r * t + ids[rows[r]].length, 1L);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(INPUT_IDS, Tensor.ofLongs(new long[] {rows.length, t}, padded(ids, rows, t, padId)));
        out.put(ATTENTION_MASK, Tensor.ofLongs(new long[] {rows.length, t}, mask));
        return out;
    }

    private static String position(int flat, int t) {
        return "[" + flat / t + ", " + flat % t + "]";
    }
}
