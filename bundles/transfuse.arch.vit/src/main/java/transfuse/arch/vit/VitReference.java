package transfuse.arch.vit;

import java.util.List;

import transfuse.api.model.ModelConfig;

/**
 * The reference model of the training-throughput benchmark (docs/vit.md, recipes/reference.json): d 64,
 * 4 heads, 2 layers, MLP 128, patch 7 on 28 x 28, 10 classes.
 */
public final class VitReference {
    private VitReference() {
    }

    public static ModelConfig config() {
        return VitConfig.toModelConfig(64, 2, 4, 128, 28, 7, 1,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
    }
}
