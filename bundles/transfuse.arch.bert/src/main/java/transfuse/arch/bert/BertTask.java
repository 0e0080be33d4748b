package transfuse.arch.bert;

import java.util.List;

/** Which head a BERT config carries, from the HF {@code architectures} field. */
enum BertTask {
    /** {@code BertModel}: the encoder alone; forward gives hidden states only. */
    ENCODER("BertModel"),
    /** {@code BertForMaskedLM}: the MLM head, logits [N, T, vocab]. */
    MASKED_LM("BertForMaskedLM"),
    /** {@code BertForSequenceClassification}: pooler and classifier on [CLS], logits [N, classes]. */
    CLASSIFICATION("BertForSequenceClassification");

    final String hfClass;

    BertTask(String hfClass) {
        this.hfClass = hfClass;
    }

    /** The task of an {@code architectures} list; a config without one is a bare encoder. */
    static BertTask of(Object architectures, String source) {
        if (!(architectures instanceof List<?> list) || list.isEmpty()) {
            return ENCODER;
        }
        String first = String.valueOf(list.get(0));
        for (BertTask t : values()) {
            if (t.hfClass.equals(first)) {
                return t;
            }
        }
        throw new transfuse.api.TransfuseException(source + ": architectures \"" + first
                + "\" is not supported (expected BertModel, BertForMaskedLM or BertForSequenceClassification)");
    }
}
