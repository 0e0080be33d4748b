package transfuse.arch.llama;

import java.util.List;

import transfuse.api.model.ModelConfig;
import transfuse.nn.text.TextTokenizer;
import transfuse.nn.text.TokenizerSource;

/** Llama's tokenizers: found by {@link TokenizerSource}, the bundled one carried in this bundle. */
final class LlamaTokenizers {
    /** The WordPiece vocabulary of the from-scratch recipes (a copy of BERT's; vocab/README.md). */
    static final String KJV_WORDPIECE = "kjv-wordpiece";
    /** [PAD], [CLS] and [SEP] of the bundled vocabulary: padding, begin and end of a text. */
    static final int PAD_ID = 0;
    static final int BOS_ID = 2;
    static final int EOS_ID = 3;

    private LlamaTokenizers() {
    }

    static TokenizerSource of(ModelConfig config, LlamaConfig c) {
        return TokenizerSource.of(config, c.vocabulary(), LlamaConfig.VOCABULARY_FIELD, LlamaTokenizers::bundled);
    }

    static TokenizerSource bundled(String name) {
        return TokenizerSource.bundled(LlamaTokenizers.class, name, KJV_WORDPIECE);
    }

    /** Token ids of each text with the tokenizer's begin and end markers, truncated to the tokenizer's length. */
    static TokenizedTexts encode(TokenizerSource s, int maxLength, List<String> texts, int modelVocab, long padId) {
        try (TextTokenizer t = TextTokenizer.load(s.json(), s.name(), maxLength, "tokenizer.json with a vocabulary")) {
            return new TokenizedTexts(t.encode(texts, modelVocab).ids(), padId);
        }
    }
}
