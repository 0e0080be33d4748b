package transfuse.arch.bert;

import java.util.List;

import transfuse.api.model.ModelConfig;
import transfuse.nn.text.TextTokenizer;
import transfuse.nn.text.TokenizerSource;

/** BERT's tokenizers: found by {@link TokenizerSource}, bundled in this bundle, WordPiece with [MASK] and [PAD]. */
final class BertTokenizers {
    /** The trimmed bge/BERT-uncased WordPiece vocabulary the from-scratch recipes use (see docs/bert.md). */
    static final String KJV_WORDPIECE = "kjv-wordpiece";
    static final String MASK = "[MASK]";
    static final String PAD = "[PAD]";

    private BertTokenizers() {
    }

    static TokenizerSource of(ModelConfig config, BertConfig c) {
        return TokenizerSource.of(config, c.vocabulary(), BertConfig.VOCABULARY_FIELD, BertTokenizers::bundled);
    }

    static TokenizerSource bundled(String name) {
        return TokenizerSource.bundled(BertTokenizers.class, name, KJV_WORDPIECE);
    }

    /** @param maxLength tokens per text including [CLS] and [SEP] */
    static TextTokenizer load(byte[] json, String source, int maxLength) {
        return TextTokenizer.load(json, source, maxLength, "WordPiece tokenizer.json", MASK, PAD);
    }

    /** [CLS] text [SEP] of each text, truncated, with its special-token flags (never masked for MLM). */
    static TokenizedTexts encode(TextTokenizer t, List<String> texts, int modelVocab) {
        TextTokenizer.Encoded e = t.encode(texts, modelVocab);
        return new TokenizedTexts(e.ids(), e.special(), t.tokenId(PAD));
    }
}
