package transfuse.arch.bert;

import java.util.Map;

import transfuse.api.tensor.Tensor;
import transfuse.arch.common.TokenInputs;

/**
 * The forward inputs of a BERT, checked against its config: {@code input_ids} integer [N, T]
 * with every id in [0, vocab_size) and T at most max_position_embeddings, an optional
 * {@code attention_mask} [N, T] of 0/1 (all ones when absent), and optional
 * {@code token_type_ids} [N, T] below type_vocab_size.
 */
record BertInputs(int n, int t, long[] ids, float[] mask, long[] types) {
    static final String INPUT_IDS = TokenInputs.INPUT_IDS;
    static final String ATTENTION_MASK = TokenInputs.ATTENTION_MASK;
    static final String TOKEN_TYPE_IDS = "token_type_ids";

    static BertInputs of(BertConfig c, Map<String, Tensor> inputs) {
        Tensor idsT = TokenInputs.inputIds(inputs, "bert", false, c.maxPositions());
        long[] shape = idsT.shape();
        int n = Math.toIntExact(shape[0]), t = Math.toIntExact(shape[1]);
        long[] ids = idsT.toLongs();
        TokenInputs.checkRange(ids, t, c.vocabSize(), INPUT_IDS, "vocab_size");
        float[] mask = TokenInputs.attentionMask(inputs, shape);
        long[] types = null;
        Tensor tt = inputs.get(TOKEN_TYPE_IDS);
        if (tt != null) {
            TokenInputs.sameShape(tt, shape, TOKEN_TYPE_IDS);
            types = tt.toLongs();
            TokenInputs.checkRange(types, t, c.typeVocabSize(), TOKEN_TYPE_IDS, "type_vocab_size");
        }
        return new BertInputs(n, t, ids, mask, types);
    }
}
