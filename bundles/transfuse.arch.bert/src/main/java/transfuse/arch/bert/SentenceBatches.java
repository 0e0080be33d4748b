package transfuse.arch.bert;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import transfuse.nn.BatchSource;

/** Labelled sentences for classification: input_ids and attention_mask per batch, padded to its longest. */
record SentenceBatches(TokenizedTexts texts, int[] labels) implements BatchSource {
    @Override
    public int size() {
        return texts.size();
    }

    @Override
    public NDList inputs(NDManager manager, int[] indices) {
        return texts.inputs(manager, indices);
    }
}
