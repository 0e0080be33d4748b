package transfuse.nn.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.io.config.ConfigJson;

/**
 * A HuggingFace {@code tokenizer.json} run by DJL's tokenizers (offline, natives embedded in the
 * transfuse.djl bundle), with the tokenizer's own special tokens around each text (WordPiece:
 * [CLS] text [SEP]) and truncation to a maximum length. Its vocabulary size is read from the
 * JSON, so a tokenizer whose ids exceed the model's {@code vocab_size} is rejected before any
 * text is encoded. Call inside {@code DjlRuntime.call}.
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final String source;
    private final int vocabSize;
    private final Map<String, Long> required;

    /**
     * Token ids and special-token flags of each text, real tokens only.
     *
     * @param ids     per text, its tokens with the tokenizer's special tokens around them
     * @param special per text, which positions are special tokens
     */
    public record Encoded(long[][] ids, boolean[][] special) {
    }

    private TextTokenizer(HuggingFaceTokenizer tokenizer, String source, int vocabSize, Map<String, Long> required) {
        this.tokenizer = tokenizer;
        this.source = source;
        this.vocabSize = vocabSize;
        this.required = required;
    }

    /**
     * @param json      the tokenizer.json bytes
     * @param source    names the file in messages
     * @param maxLength tokens per text including the special tokens
     * @param kind      what a readable file is, for the message when it has no vocabulary
     *                  ("WordPiece tokenizer.json")
     * @param required  tokens the caller needs ids of ({@link #tokenId}), looked up now so a
     *                  tokenizer without one fails at load
     * @throws TransfuseException one line naming the source when it is not a readable tokenizer
     *                            or lacks a required token
     */
    public static TextTokenizer load(byte[] json, String source, int maxLength, String kind, String... required) {
        ModelConfig tree;
        try {
            tree = ConfigJson.parse(json, source);
        } catch (TransfuseException e) {
            throw new TransfuseException(source + ": unreadable tokenizer (" + e.getMessage() + ")", e);
        }
        if (!(tree.fields().get("model") instanceof Map<?, ?> model) || !(model.get("vocab") instanceof Map<?, ?> vocab)) {
            throw new TransfuseException(source + ": unreadable tokenizer (no model.vocab; expected a HuggingFace "
                    + kind + ")");
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
        Map<String, Long> ids = new LinkedHashMap<>();
        for (String token : required) {
            ids.put(token, idOf(t, token, source));
        }
        return new TextTokenizer(t, source, size, ids);
    }

    private static long idOf(HuggingFaceTokenizer t, String token, String source) {
        long[] ids = t.encode(token, false, false).getIds();
        if (ids.length != 1) {
            throw new TransfuseException(source + ": tokenizer has no " + token + " token");
        }
        return ids[0];
    }

    private static int maxId(Collection<?> ids) {
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

    /** One past the largest token id. */
    public int vocabSize() {
        return vocabSize;
    }

    public String source() {
        return source;
    }

    /**
     * The id of a token named at {@link #load}.
     *
     * @throws IllegalArgumentException for a token load was not asked for
     */
    public long tokenId(String token) {
        Long id = required.get(token);
        if (id == null) {
            throw new IllegalArgumentException(token + " was not required when the tokenizer was loaded");
        }
        return id;
    }

    /**
     * Token ids and special-token flags of each text, truncated.
     *
     * @throws TransfuseException when the tokenizer's ids do not fit the model's vocabulary
     */
    public Encoded encode(List<String> texts, int modelVocab) {
        if (vocabSize > modelVocab) {
            throw new TransfuseException(source + ": tokenizer has " + vocabSize + " tokens but the model's vocab_size is "
                    + modelVocab);
        }
        long[][] ids = new long[texts.size()][];
        boolean[][] special = new boolean[texts.size()][];
        int chunk = 256;
        for (int from = 0; from < texts.size(); from += chunk) {
            List<String> part = texts.subList(from, Math.min(texts.size(), from + chunk));
            Encoding[] enc = tokenizer.batchEncode(part);
            for (int i = 0; i < enc.length; i++) {
                // A tokenizer.json may carry its own fixed padding (MiniLM's pads to 128): keep the real tokens only.
                int len = 0;
                for (long a : enc[i].getAttentionMask()) {
                    len += (int) a;
                }
                ids[from + i] = Arrays.copyOf(enc[i].getIds(), len);
                long[] s = enc[i].getSpecialTokenMask();
                special[from + i] = new boolean[len];
                for (int j = 0; j < len; j++) {
                    special[from + i][j] = s[j] != 0;
                }
            }
        }
        return new Encoded(ids, special);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
