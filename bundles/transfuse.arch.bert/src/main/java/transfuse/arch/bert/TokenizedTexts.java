package transfuse.arch.bert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.tensor.Tensor;
import transfuse.arch.common.TokenInputs;
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
        return TokenInputs.longest(ids, indices);
    }

    /** Padded ids [B, T] of the examples, row-major. */
    long[] padded(int[] indices, int t) {
        return TokenInputs.padded(ids, indices, t, padId);
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
        return TokenInputs.tensors(ids, from, to, padId);
    }
}
