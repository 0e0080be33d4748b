package transfuse.arch.vit;

import transfuse.nn.AttentionNames;
import transfuse.nn.PreLnEncoderLayer;

/** HF {@code ViTForImageClassification} tensor names. */
final class VitNames {
    static final String CLS = "vit.embeddings.cls_token";
    static final String POS = "vit.embeddings.position_embeddings";
    static final String PATCH = "vit.embeddings.patch_embeddings.projection";
    static final String FINAL_NORM = "vit.layernorm";
    static final String CLASSIFIER = "classifier";

    private VitNames() {
    }

    static String layer(int i) {
        return "vit.encoder.layer." + i;
    }

    static PreLnEncoderLayer encoderLayer(int i, VitConfig c) {
        String l = layer(i);
        return new PreLnEncoderLayer(l + ".layernorm_before",
                new AttentionNames(l + ".attention.attention.query", l + ".attention.attention.key",
                        l + ".attention.attention.value", l + ".attention.output.dense"),
                l + ".layernorm_after", l + ".intermediate.dense", l + ".output.dense", c.heads(), c.eps());
    }
}
