package transfuse.arch.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.tensor.Tensor;
import transfuse.nn.NdTensors;

/**
 * Texts as token ids of varying length, padded per batch to its longest member (so short
 * sentences do not pay for long ones).
 *
 * @param ids     per text, [CLS] tokens [SEP]
 * @param special per text, which positions are special tokens (never masked for MLM)
 */
record TokenizedTexts(long[][] ids, boolean[][] special, long padId) {

    int size() {
        return ids.length;
    }

    int longest(int[] indices) {
        int t = 1;
        for (int i : indices) {
            t = Math.max(t, ids[i].length);
        }
        return t;
    }

    /** Padded ids [B, T] of the examples, row-major. */
    long[] padded(int[] indices, int t) {
        long[] out = new long[indices.length * t];
        java.util.Arrays.fill(out, padId);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(ids[indices[r]], 0, out, r * t, ids[indices[r]].length);
        }
        return out;
    }

    /** 1 for real tokens, 0 for padding, [B, T]. */
    float[] mask(int[] indices, int t) {
        float[] out = new float[indices.length * t];
        for (int r = 0; r < indices.length; r++) {
            java.util.Arrays.fill(out, r * t, r * t + ids[indices[r]].length, 1f);
        }
        return out;
    }

    /** input_ids and attention_mask NDArrays of the examples. */
    NDList inputs(NDManager m, int[] indices) {
        int t = longest(indices);
        NDArray ids = NdTensors.fromLongs(m, padded(indices, t), new Shape(indices.length, t));
        NDArray mask = NdTensors.fromFloats(m, mask(indices, t), new Shape(indices.length, t));
        return new NDList(ids, mask);
    }

    /** input_ids and attention_mask tensors (int64) of examples [from, to), for the API. */
    java.util.Map<String, Tensor> tensors(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        int t = longest(idx);
        float[] m = mask(idx, t);
        long[] ml = new long[m.length];
        for (int i = 0; i < m.length; i++) {
            ml[i] = (long) m[i];
        }
        java.util.Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        out.put(BertInputs.INPUT_IDS, Tensor.ofLongs(new long[] {idx.length, t}, padded(idx, t)));
        out.put(BertInputs.ATTENTION_MASK, Tensor.ofLongs(new long[] {idx.length, t}, ml));
        return out;
    }
}
