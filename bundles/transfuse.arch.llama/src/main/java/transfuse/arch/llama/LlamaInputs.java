package transfuse.arch.llama;

import java.util.Map;

import transfuse.api.tensor.Tensor;
import transfuse.arch.common.TokenInputs;

/**
 * The forward inputs of a Llama, checked against its config: {@code input_ids} integer [N, T]
 * with every id in [0, vocab_size) and T at most max_position_embeddings, and an optional
 * {@code attention_mask} [N, T] of 0/1 (all ones when absent). Positions are 0 .. T-1 in every
 * row, so padding belongs on the right (as the data sets' inputs are padded).
 *
 * @param lengths per row, its number of unmasked tokens (the tokens a tap keeps)
 */
record LlamaInputs(int n, int t, long[] ids, float[] mask, int[] lengths) {
    static final String INPUT_IDS = TokenInputs.INPUT_IDS;
    static final String ATTENTION_MASK = TokenInputs.ATTENTION_MASK;

    static LlamaInputs of(LlamaConfig c, Map<String, Tensor> inputs) {
        Tensor idsT = TokenInputs.inputIds(inputs, "llama", true, c.maxPositions());
        long[] shape = idsT.shape();
        int n = Math.toIntExact(shape[0]), t = Math.toIntExact(shape[1]);
        long[] ids = idsT.toLongs();
        TokenInputs.checkRange(ids, t, c.vocabSize(), INPUT_IDS, "vocab_size");
        float[] mask = TokenInputs.attentionMask(inputs, shape);
        int[] lengths = new int[n];
        for (int i = 0; i < mask.length; i++) {
            lengths[i / t] += (int) mask[i];
        }
        return new LlamaInputs(n, t, ids, mask, lengths);
    }
}
