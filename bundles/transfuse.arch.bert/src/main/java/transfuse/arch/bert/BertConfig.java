package transfuse.arch.bert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.arch.common.ConfigFields;
import transfuse.arch.common.EncoderDeclarations;

import static transfuse.arch.common.ConfigFields.positive;

/**
 * The fields of an HF BERT {@code config.json} this implementation reads, checked once. Only what
 * it computes exactly is accepted: {@code hidden_act} "gelu" (exact, erf-based) and absolute
 * position embeddings. {@code tie_word_embeddings} (default true, as in HF) makes the MLM decoder
 * reuse the word embeddings.
 *
 * @param vocabulary the bundled tokenizer vocabulary named by {@code transfuse_vocabulary}, or
 *                   null when the tokenizer is the model directory's {@code tokenizer.json}
 */
public record BertConfig(int hidden, int layers, int heads, int intermediate, double eps, int vocabSize,
                         int maxPositions, int typeVocabSize, double initializerRange, BertTask task, int numLabels,
                         boolean tiedDecoder, int padTokenId, String vocabulary) {
    static final String VOCABULARY_FIELD = "transfuse_vocabulary";

    public static BertConfig of(ModelConfig c) {
        String src = c.source();
        String type = c.has("model_type") ? c.getString("model_type") : null;
        if (!"bert".equals(type)) {
            throw new TransfuseException(src + ": model_type must be \"bert\", found "
                    + (type == null ? "none" : "\"" + type + "\""));
        }
        int hidden = positive(c, "hidden_size");
        int heads = positive(c, "num_attention_heads");
        if (hidden % heads != 0) {
            throw new TransfuseException(src + ": hidden_size " + hidden + " is not a multiple of num_attention_heads " + heads);
        }
        String act = c.has("hidden_act") ? c.getString("hidden_act") : "gelu";
        if (!act.equals("gelu")) {
            throw new TransfuseException(src + ": hidden_act \"" + act + "\" is not supported (only exact \"gelu\")");
        }
        if (c.has("position_embedding_type") && !c.getString("position_embedding_type").equals("absolute")) {
            throw new TransfuseException(src + ": position_embedding_type \"" + c.getString("position_embedding_type")
                    + "\" is not supported (only \"absolute\")");
        }
        double eps = c.getDouble("layer_norm_eps", 1e-12);
        if (!(eps > 0)) {
            throw new TransfuseException(src + ": layer_norm_eps must be positive, found " + eps);
        }
        BertTask task = BertTask.of(c.fields().get("architectures"), src);
        int labels = task == BertTask.CLASSIFICATION ? numLabels(c) : 0;
        Object tie = c.fields().get("tie_word_embeddings");
        int pad = c.getInt("pad_token_id", 0);
        String vocabulary = c.has(VOCABULARY_FIELD) ? c.getString(VOCABULARY_FIELD) : null;
        return new BertConfig(hidden, positive(c, "num_hidden_layers"), heads, positive(c, "intermediate_size"), eps,
                positive(c, "vocab_size"), positive(c, "max_position_embeddings"), c.getInt("type_vocab_size", 2),
                c.getDouble("initializer_range", 0.02), task, labels, !Boolean.FALSE.equals(tie), pad, vocabulary);
    }

    public int headDim() {
        return hidden / heads;
    }

    /** Classes of a sequence classifier; binary when the config names none. */
    private static int numLabels(ModelConfig c) {
        return ConfigFields.labelCount(c).orElse(2);
    }


    /** An HF config.json tree for a BERT of the given shape and head. */
    public static ModelConfig toModelConfig(int hidden, int layers, int heads, int intermediate, int vocabSize,
                                            int maxPositions, BertTask task, List<String> classNames,
                                            String vocabulary) {
        Map<String, Object> f = EncoderDeclarations.encoderFields(task.hfClass, "bert", hidden, layers, heads, intermediate);
        f.put("vocab_size", vocabSize);
        f.put("max_position_embeddings", maxPositions);
        f.put("type_vocab_size", 2);
        f.put("pad_token_id", 0);
        f.put("position_embedding_type", "absolute");
        f.put("tie_word_embeddings", true);
        if (task == BertTask.CLASSIFICATION) {
            putLabels(f, classNames);
        }
        if (vocabulary != null) {
            f.put(VOCABULARY_FIELD, vocabulary);
        }
        return new ModelConfig(f, "spec");
    }

    static void putLabels(Map<String, Object> f, List<String> classNames) {
        Map<String, Object> id2label = new LinkedHashMap<>();
        Map<String, Object> label2id = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            id2label.put(Integer.toString(i), classNames.get(i));
            label2id.put(classNames.get(i), i);
        }
        f.put("id2label", id2label);
        f.put("label2id", label2id);
        f.put("num_labels", classNames.size());
    }
}
