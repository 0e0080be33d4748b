package transfuse.arch.llama;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.arch.TrainOptions;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.model.ModelConfig;
import transfuse.io.config.ConfigJson;
import transfuse.nn.text.TokenizerSource;

/**
 * The default small decoder (recipes/kjv-clm.json holds the same): d 64, 2 layers, 4 query heads
 * of 16 sharing 2 KV heads, SwiGLU 176 (2.75 x d), 128 positions, tied embeddings, over the
 * bundled {@value LlamaTokenizers#KJV_WORDPIECE} vocabulary. AdamW lr 3e-3, batch 32, 6 % warmup,
 * cosine decay, clip 1.0, weight decay 0.01, 1 epoch (docs/llama.md gives its measured time).
 */
final class LlamaRecipe {
    static final int HIDDEN = 64;
    static final int LAYERS = 2;
    static final int HEADS = 4;
    static final int KV_HEADS = 2;
    static final int INTERMEDIATE = 176;
    static final int MAX_POSITIONS = 128;
    /** Texts are cut to this many tokens (with their markers) even when the model takes more. */
    static final int MAX_TOKENS = 128;

    private LlamaRecipe() {
    }

    static ModelConfig config(Dataset data) {
        if (data.modality() != Modality.TEXT) {
            throw new TransfuseException(data.name() + " holds images; the llama architecture needs texts");
        }
        return LlamaConfig.toModelConfig(HIDDEN, LAYERS, HEADS, KV_HEADS, INTERMEDIATE, bundledVocabSize(),
                MAX_POSITIONS, true, LlamaTokenizers.KJV_WORDPIECE);
    }

    static int bundledVocabSize() {
        TokenizerSource s = LlamaTokenizers.bundled(LlamaTokenizers.KJV_WORDPIECE);
        Object model = ConfigJson.parse(s.json(), s.name()).fields().get("model");
        return ((Map<?, ?>) ((Map<?, ?>) model).get("vocab")).size();
    }

    static TrainOptions options() {
        return new TrainOptions(1, 32, 3e-3, 0.01, 0.06, 1.0, 1, null, false);
    }
}
