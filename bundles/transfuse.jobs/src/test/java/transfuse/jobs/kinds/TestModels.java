package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.model.ModelConfig;
import transfuse.arch.vit.VitConfig;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/** Tiny ViTs for the 8x8 digits (patch 4: 4 patches + CLS, 10 classes), saved as model directories. */
final class TestModels {
    private TestModels() {
    }

    static ModelConfig config() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(Integer.toString(i));
        }
        return VitConfig.toModelConfig(16, 2, 2, 32, 8, 4, 1, names);
    }

    static Path vit(TestJobContext context, Path dir, long seed) {
        Architecture vit = context.plugin(Architecture.class, "vit");
        List<TensorSource> sources = new ArrayList<>();
        vit.initialize(config(), seed).forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.save(dir, config(), sources, Map.of(), Map.of());
        return dir;
    }
}
