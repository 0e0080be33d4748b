package transfuse.arch.bert;

import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.arch.TrainOptions;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.model.ModelConfig;
import transfuse.io.config.ConfigJson;
import transfuse.nn.text.TokenizerSource;

/**
 * The default small BERT (recipes/bert/ holds the same as config files): d 64, 2 layers, 2
 * heads, MLP 256, 128 positions, over the bundled {@value BertTokenizers#KJV_WORDPIECE}
 * vocabulary; a masked LM for unlabelled text, a sentence classifier for labelled text. AdamW
 * lr 1e-3, batch 64, 6 % warmup, cosine decay, clip 1.0, weight decay 0.01.
 */
final class BertRecipe {
    static final int HIDDEN = 64;
    static final int LAYERS = 2;
    static final int HEADS = 2;
    static final int INTERMEDIATE = 256;
    static final int MAX_POSITIONS = 128;
    /** Texts are cut to this many tokens (with [CLS]/[SEP]) even when the model takes more. */
    static final int MAX_TOKENS = 128;

    private BertRecipe() {
    }

    static ModelConfig config(Dataset data) {
        if (data.modality() != Modality.TEXT) {
            throw new TransfuseException(data.name() + " holds images; the bert architecture needs texts");
        }
        BertTask task = data.numClasses() > 0 ? BertTask.CLASSIFICATION : BertTask.MASKED_LM;
        return BertConfig.toModelConfig(HIDDEN, LAYERS, HEADS, INTERMEDIATE, bundledVocabSize(), MAX_POSITIONS, task,
                data.classNames(), BertTokenizers.KJV_WORDPIECE);
    }

    static int bundledVocabSize() {
        TokenizerSource s = BertTokenizers.bundled(BertTokenizers.KJV_WORDPIECE);
        Object model = ConfigJson.parse(s.json(), s.name()).fields().get("model");
        return ((Map<?, ?>) ((Map<?, ?>) model).get("vocab")).size();
    }

    static TrainOptions options() {
        return new TrainOptions(4, 64, 1e-3, 0.01, 0.06, 1.0, 1, null, false);
    }

}
