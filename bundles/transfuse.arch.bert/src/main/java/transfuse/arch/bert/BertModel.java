package transfuse.arch.bert;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import transfuse.nn.Classifier;
import transfuse.nn.Layers;
import transfuse.nn.Params;
import transfuse.nn.PostLnEncoderLayer;
import transfuse.nn.TapRecorder;

/**
 * The BERT forward pass as HF computes it: (word + token-type) + position embeddings, LayerNorm,
 * post-LN encoder layers with an additive attention mask of {@code (1 - mask) * float_min}; the
 * classification head is {@code classifier(tanh(pooler([CLS])))}, the MLM head
 * {@code LN(GELU(dense(h))) E^T + bias}. Inputs are {@code input_ids} int64 [B, T] and
 * {@code attention_mask} float32 [B, T] (1 keep, 0 padding).
 */
final class BertModel implements Classifier {
    private static final NDIndex CLS_TOKEN = new NDIndex(":, 0, :");

    private final BertConfig c;
    private final List<PostLnEncoderLayer> layers = new ArrayList<>();

    BertModel(BertConfig c) {
        this.c = c;
        for (int i = 0; i < c.layers(); i++) {
            layers.add(BertNames.encoderLayer(i, c));
        }
    }

    /**
     * The last hidden state [B, T, d].
     *
     * @param types token type ids [B, T], or null for type 0 everywhere (single sentences)
     */
    NDArray hidden(Params p, NDArray ids, NDArray mask, NDArray types, TapRecorder taps) {
        long t = ids.getShape().get(1);
        NDArray words = Embedding.embedding(ids, p.get(BertNames.WORD), SparseFormat.DENSE).singletonOrThrow();
        NDArray typeEmb = types == null ? p.get(BertNames.TOKEN_TYPE).get(0)
                : Embedding.embedding(types, p.get(BertNames.TOKEN_TYPE), SparseFormat.DENSE).singletonOrThrow();
        // Token types are added before positions, in HF's order, so sums round the same way.
        NDArray h = words.add(typeEmb).add(p.get(BertNames.POSITION).get(new NDIndex(":{}", t)));
        h = Layers.layerNorm(h, p.get(BertNames.EMBED_NORM + ".weight"), p.get(BertNames.EMBED_NORM + ".bias"), c.eps());
        if (taps.wants("embed")) {
            taps.record("embed", h);
        }
        NDArray bias = attentionBias(mask);
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).apply(h, bias, p, taps, "layer." + i);
        }
        return h;
    }

    /** [B, T] 1/0 mask to the additive [B, 1, 1, T] bias HF adds to the attention scores. */
    static NDArray attentionBias(NDArray mask) {
        if (mask == null) {
            return null;
        }
        long b = mask.getShape().get(0), t = mask.getShape().get(1);
        NDArray m = mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
        return m.neg().add(1f).mul(-Float.MAX_VALUE).reshape(b, 1, 1, t);
    }

    /** Classification logits [B, classes] from the hidden state. */
    NDArray classify(Params p, NDArray hidden, TapRecorder taps) {
        NDArray pooled = Layers.linear(hidden.get(CLS_TOKEN), p.get(BertNames.POOLER + ".weight"),
                p.get(BertNames.POOLER + ".bias")).tanh();
        if (taps.wants(BertGraph.POOLER)) {
            taps.record(BertGraph.POOLER, pooled.expandDims(1));
        }
        return Layers.linear(pooled, p.get(BertNames.CLASSIFIER + ".weight"), p.get(BertNames.CLASSIFIER + ".bias"));
    }

    /** MLM logits [..., vocab] of hidden rows [..., d]. */
    NDArray mlm(Params p, NDArray hidden, TapRecorder taps) {
        NDArray t = Layers.gelu(Layers.linear(hidden, p.get(BertNames.MLM_DENSE + ".weight"),
                p.get(BertNames.MLM_DENSE + ".bias")));
        t = Layers.layerNorm(t, p.get(BertNames.MLM_NORM + ".weight"), p.get(BertNames.MLM_NORM + ".bias"), c.eps());
        if (taps.wants(BertGraph.MLM_TRANSFORM)) {
            taps.record(BertGraph.MLM_TRANSFORM, t);
        }
        NDArray decoder = p.get(c.tiedDecoder() ? BertNames.WORD : BertNames.MLM_DECODER);
        return Layers.linear(t, decoder, p.get(BertNames.MLM_BIAS));
    }

    /** Inputs: input_ids [B, T], attention_mask [B, T]; classification logits. */
    @Override
    public NDArray logits(Params p, NDList inputs, TapRecorder taps) {
        return classify(p, hidden(p, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null, taps), taps);
    }
}
