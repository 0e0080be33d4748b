package transfuse.arch.llama;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.tensor.Tensor;

/**
 * Texts as token ids of varying length, padded on the right per batch to its longest member
 * (right padding keeps every real token at its own position, so no position shifts).
 *
 * @param ids per text, its tokens with the tokenizer's begin and end markers
 */
record TokenizedTexts(long[][] ids, long padId) {

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

    int[] lengths(int[] indices) {
        int[] out = new int[indices.length];
        for (int r = 0; r < indices.length; r++) {
            out[r] = ids[indices[r]].length;
        }
        return out;
    }

    /** Padded ids [B, T] of the examples, row-major. */
    long[] padded(int[] indices, int t) {
        long[] out = new long[indices.length * t];
        Arrays.fill(out, padId);
        for (int r = 0; r < indices.length; r++) {
            System.arraycopy(ids[indices[r]], 0, out, r * t, ids[indices[r]].length);
        }
        return out;
    }

    static int[] range(int from, int to) {
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = from + i;
        }
        return idx;
    }

    /** input_ids and attention_mask tensors (int64) of examples [from, to), for the API. */
    Map<String, Tensor> tensors(int from, int to) {
        int[] idx = range(from, to);
        int t = longest(idx);
        long[] mask = new long[idx.length * t];
        for (int r = 0; r < idx.length; r++) {
            Arrays.fill(mask, r * t, r * t + ids[idx[r]].length, 1L);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(LlamaInputs.INPUT_IDS, Tensor.ofLongs(new long[] {idx.length, t}, padded(idx, t)));
        out.put(LlamaInputs.ATTENTION_MASK, Tensor.ofLongs(new long[] {idx.length, t}, mask));
        return out;
    }
}
