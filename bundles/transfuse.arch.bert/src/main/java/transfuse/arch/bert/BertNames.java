package transfuse.arch.bert;

import transfuse.nn.AttentionNames;
import transfuse.nn.PostLnEncoderLayer;

/**
 * HF BERT tensor names, always with the {@code bert.} prefix of the task models
 * ({@code BertForMaskedLM}, {@code BertForSequenceClassification}); a bare {@code BertModel}'s
 * unprefixed names are mapped onto these by {@link BertWeights}.
 */
final class BertNames {
    static final String PREFIX = "bert.";
    static final String WORD = PREFIX + "embeddings.word_embeddings.weight";
    static final String POSITION = PREFIX + "embeddings.position_embeddings.weight";
    static final String TOKEN_TYPE = PREFIX + "embeddings.token_type_embeddings.weight";
    static final String EMBED_NORM = PREFIX + "embeddings.LayerNorm";
    static final String POOLER = PREFIX + "pooler.dense";
    static final String CLASSIFIER = "classifier";
    static final String MLM_DENSE = "cls.predictions.transform.dense";
    static final String MLM_NORM = "cls.predictions.transform.LayerNorm";
    static final String MLM_BIAS = "cls.predictions.bias";
    static final String MLM_DECODER = "cls.predictions.decoder.weight";
    static final String MLM_DECODER_BIAS = "cls.predictions.decoder.bias";

    private BertNames() {
    }

    static String layer(int i) {
        return PREFIX + "encoder.layer." + i;
    }

    static PostLnEncoderLayer encoderLayer(int i, BertConfig c) {
        String l = layer(i);
        return new PostLnEncoderLayer(new AttentionNames(l + ".attention.self.query", l + ".attention.self.key",
                l + ".attention.self.value", l + ".attention.output.dense"), l + ".attention.output.LayerNorm",
                l + ".intermediate.dense", l + ".output.dense", l + ".output.LayerNorm", c.heads(), c.eps());
    }
}
