package transfuse.arch.vit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.arch.common.ConfigFields;
import transfuse.arch.common.EncoderDeclarations;

import static transfuse.arch.common.ConfigFields.positive;

/**
 * The fields of an HF ViT {@code config.json} this implementation reads, checked once.
 * Only what it computes exactly is accepted: {@code hidden_act} "gelu" (exact), Q/K/V biases.
 */
public record VitConfig(int hidden, int layers, int heads, int intermediate, double eps, int imageSize,
                        int patchSize, int channels, int numLabels, double initializerRange) {

    public int grid() {
        return imageSize / patchSize;
    }

    /** Patches plus the CLS token. */
    public int tokens() {
        return grid() * grid() + 1;
    }

    public int patchPixels() {
        return channels * patchSize * patchSize;
    }

    public static VitConfig of(ModelConfig c) {
        String src = c.source();
        if (!"vit".equals(c.has("model_type") ? c.getString("model_type") : null)) {
            throw new TransfuseException(src + ": model_type must be \"vit\", found "
                    + (c.has("model_type") ? "\"" + c.getString("model_type") + "\"" : "none"));
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
        if (c.has("qkv_bias") && !Boolean.TRUE.equals(c.fields().get("qkv_bias"))) {
            throw new TransfuseException(src + ": qkv_bias must be true");
        }
        int image = positive(c, "image_size");
        int patch = positive(c, "patch_size");
        if (image % patch != 0) {
            throw new TransfuseException(src + ": image_size " + image + " is not a multiple of patch_size " + patch);
        }
        double eps = c.getDouble("layer_norm_eps", 1e-12);
        if (!(eps > 0)) {
            throw new TransfuseException(src + ": layer_norm_eps must be positive, found " + eps);
        }
        return new VitConfig(hidden, positive(c, "num_hidden_layers"), heads, positive(c, "intermediate_size"), eps,
                image, patch, c.has("num_channels") ? positive(c, "num_channels") : 3, numLabels(c),
                c.getDouble("initializer_range", 0.02));
    }

    private static int numLabels(ModelConfig c) {
        return ConfigFields.labelCount(c).orElseThrow(
                () -> new TransfuseException(c.source() + ": missing field 'id2label' (the class names)"));
    }


    /** An HF config.json tree for a ViT classifier, with the class names as id2label/label2id. */
    public static ModelConfig toModelConfig(int hidden, int layers, int heads, int intermediate, int imageSize,
                                            int patchSize, int channels, List<String> classNames) {
        Map<String, Object> f = EncoderDeclarations.encoderFields("ViTForImageClassification", "vit",
                hidden, layers, heads, intermediate);
        f.put("image_size", imageSize);
        f.put("patch_size", patchSize);
        f.put("num_channels", channels);
        f.put("qkv_bias", true);
        Map<String, Object> id2label = new LinkedHashMap<>();
        Map<String, Object> label2id = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            id2label.put(Integer.toString(i), classNames.get(i));
            label2id.put(classNames.get(i), i);
        }
        f.put("id2label", id2label);
        f.put("label2id", label2id);
        return new ModelConfig(f, "spec");
    }
}
