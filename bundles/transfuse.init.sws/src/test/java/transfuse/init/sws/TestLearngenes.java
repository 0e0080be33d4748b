package transfuse.init.sws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.model.ModelConfig;
import transfuse.arch.vit.VitConfig;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/** Tiny digits ViTs (8x8 images, patch 4, width 16) as learngenes and full models, made by hand. */
final class TestLearngenes {
    private TestLearngenes() {
    }

    static ModelConfig vitConfig(int layers) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(Integer.toString(i));
        }
        return VitConfig.toModelConfig(16, layers, 2, 32, 8, 4, 1, names);
    }

    /** A learngene of the given stages: a freshly initialized stage model (one layer per stage). */
    static Learngene learngene(Architecture vit, Path dir, int[] stages, long seed) {
        ModelConfig config = vitConfig(stages.length);
        Learngene lg = new Learngene(config, stages, Arrays.stream(stages).sum(), "test-ancestor", 1.0, 1.0, "soft",
                0, List.of());
        lg.write(dir, vit.initialize(config, seed), Map.of());
        return Learngene.read(dir);
    }

    /** A full model directory of the given depth. */
    static Path model(Architecture vit, Path dir, int layers, long seed) {
        List<TensorSource> sources = new ArrayList<>();
        vit.initialize(vitConfig(layers), seed).forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.save(dir, vitConfig(layers), sources, Map.of(), Map.of());
        return dir;
    }
}
