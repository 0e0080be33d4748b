package transfuse.arch.llama;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.io.config.ConfigJson;

/**
 * A HuggingFace {@code tokenizer.json} run by DJL's tokenizers (offline, natives embedded in the
 * transfuse.djl bundle), with the tokenizer's own special tokens around each text (the bundled
 * WordPiece: [CLS] text [SEP], the decoder's begin and end of text) and truncation to a maximum
 * length. Its vocabulary size is read from the JSON, so a tokenizer whose ids exceed the model's
 * {@code vocab_size} is rejected before any text is encoded. Call inside {@code DjlRuntime.call}.
 */
final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String source;
    private final int vocabSize;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, String source, int vocabSize) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.vocabSize = vocabSize;
    }

    /** @throws TransfuseException one line naming the source when it is not a readable tokenizer */
    static TextTokenizer load(byte[] json, String source, int maxLength) {
        ModelConfig tree;
        try {
            tree = ConfigJson.parse(json, source);
        } catch (TransfuseException e) {
            throw new TransfuseException(source + ": unreadable tokenizer (" + e.getMessage() + ")", e);
        }
        if (!(tree.fields().get("model") instanceof Map<?, ?> model) || !(model.get("vocab") instanceof Map<?, ?> vocab)) {
            throw new TransfuseException(source + ": unreadable tokenizer (no model.vocab; expected a HuggingFace"
                    + " tokenizer.json with a vocabulary)");
        }
        int size = maxId(vocab.values()) + 1;
        if (tree.fields().get("added_tokens") instanceof List<?> added) {
            for (Object a : added) {
                if (a instanceof Map<?, ?> m) {
                    size = Math.max(size, maxId(List.of(m.get("id"))) + 1);
                }
            }
        }
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), Map.of(
                    "addSpecialTokens", "true", "truncation", "true", "padding", "false",
                    "maxLength", Integer.toString(maxLength)));
        } catch (IOException | RuntimeException e) {
            throw new TransfuseException(source + ": unreadable tokenizer (" + oneLine(e) + ")", e);
        }
        return new TextTokenizer(t, source, size);
    }

    private static int maxId(java.util.Collection<?> ids) {
        int max = -1;
        for (Object o : ids) {
            if (o instanceof Number n) {
                max = Math.max(max, n.intValue());
            }
        }
        return max;
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * Token ids of each text, truncated.
     *
     * @throws TransfuseException when the tokenizer's ids do not fit the model's vocabulary
     */
    TokenizedTexts encode(List<String> texts, int modelVocab, long padId) {
        if (vocabSize > modelVocab) {
            throw new TransfuseException(source + ": tokenizer has " + vocabSize + " tokens but the model's vocab_size is "
                    + modelVocab);
        }
        long[][] ids = new long[texts.size()][];
        int chunk = 256;
        for (int from = 0; from < texts.size(); from += chunk) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
            Encoding[] enc = tokenizer.batchEncode(part);
            for (int i = 0; i < enc.length; i++) {
                // A tokenizer.json may carry its own fixed padding: keep the real tokens only.
                int len = 0;
                for (long a : enc[i].getAttentionMask()) {
                    len += (int) a;
                }
                ids[from + i] = java.util.Arrays.copyOf(enc[i].getIds(), len);
            }
        }
        return new TokenizedTexts(ids, padId);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
