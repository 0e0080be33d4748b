package transfuse.arch.bert;

import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;
import transfuse.arch.common.DeclaredTensors;

/**
 * Brings the weights of any of HF's BERT classes to the names {@link BertGraph} declares: a bare
 * {@code BertModel}'s unprefixed names get the {@code bert.} prefix, and an MLM decoder bias
 * saved only as {@code cls.predictions.decoder.bias} becomes {@code cls.predictions.bias} (HF
 * ties the two). Everything else, including a saved copy of a tied decoder, is kept as an extra.
 */
final class BertWeights {
    private BertWeights() {
    }

    static Map<String, Tensor> canonical(Map<String, Tensor> weights) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        weights.forEach((name, t) -> {
            boolean bare = name.startsWith("embeddings.") || name.startsWith("encoder.") || name.startsWith("pooler.");
            String key = bare && !weights.containsKey(BertNames.PREFIX + name) ? BertNames.PREFIX + name : name;
            out.put(key, t);
        });
        if (!out.containsKey(BertNames.MLM_BIAS) && out.containsKey(BertNames.MLM_DECODER_BIAS)) {
            out.put(BertNames.MLM_BIAS, out.get(BertNames.MLM_DECODER_BIAS));
        }
        return out;
    }

    /** @throws TransfuseException naming the first missing or mis-shaped tensor */
    static void validate(BertConfig c, Map<String, Tensor> canonical) {
        DeclaredTensors.validate(BertGraph.of(c).tensors(), canonical);
    }

    /** The tensors the model computes with, in declaration order. */
    static Map<String, Tensor> declared(BertConfig c, Map<String, Tensor> canonical) {
        return DeclaredTensors.declared(BertGraph.of(c).tensors(), canonical);
    }

    /** The tensors that are not declared (preserved through training). */
    static Map<String, Tensor> extras(BertConfig c, Map<String, Tensor> canonical) {
        return DeclaredTensors.extras(BertGraph.of(c).tensors(), canonical);
    }
}
