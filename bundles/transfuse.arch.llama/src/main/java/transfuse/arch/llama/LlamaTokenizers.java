package transfuse.arch.llama;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;

/**
 * Finds the tokenizer of a config: the {@code tokenizer.json} beside its {@code config.json}
 * (a model directory), else the bundled vocabulary its {@code transfuse_vocabulary} field names
 * (configs built by the recipe, before any model directory exists).
 */
final class LlamaTokenizers {
    static final String TOKENIZER_FILE = "tokenizer.json";
    /** The WordPiece vocabulary of the from-scratch recipes (a copy of BERT's; vocab/README.md). */
    static final String KJV_WORDPIECE = "kjv-wordpiece";
    /** [PAD], [CLS] and [SEP] of the bundled vocabulary: padding, begin and end of a text. */
    static final int PAD_ID = 0;
    static final int BOS_ID = 2;
    static final int EOS_ID = 3;

    private LlamaTokenizers() {
    }

    /** The tokenizer.json bytes and the name they are reported under. */
    record Source(byte[] json, String name) {
    }

    static Source of(ModelConfig config, LlamaConfig c) {
        String src = config.source();
        if (src != null && src.endsWith(".json")) {
            Path beside = Path.of(src).resolveSibling(TOKENIZER_FILE);
            if (Files.isRegularFile(beside)) {
                try {
                    return new Source(Files.readAllBytes(beside), beside.toString());
                } catch (IOException e) {
                    throw new TransfuseException(beside + ": unreadable tokenizer (" + e.getMessage() + ")", e);
                }
            }
        }
        if (c.vocabulary() != null) {
            return bundled(c.vocabulary());
        }
        throw new TransfuseException(src + ": no " + TOKENIZER_FILE + " beside the config and no '"
                + LlamaConfig.VOCABULARY_FIELD + "' field naming a bundled vocabulary");
    }

    static Source bundled(String name) {
        String resource = "vocab/" + name + ".tokenizer.json";
        try (InputStream in = LlamaTokenizers.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TransfuseException("unknown bundled vocabulary '" + name + "' (available: " + KJV_WORDPIECE + ")");
            }
            return new Source(in.readAllBytes(), "bundled vocabulary " + name);
        } catch (IOException e) {
            throw new TransfuseException("bundled vocabulary " + name + ": " + e.getMessage(), e);
        }
    }
}
