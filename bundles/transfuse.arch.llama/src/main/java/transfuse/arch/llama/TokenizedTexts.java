package transfuse.arch.llama;

import java.util.Map;

import transfuse.api.tensor.Tensor;
import transfuse.arch.common.TokenInputs;

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
        return TokenInputs.longest(ids, indices);
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
        return TokenInputs.padded(ids, indices, t, padId);
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
        return TokenInputs.tensors(ids, from, to, padId);
    }
}
