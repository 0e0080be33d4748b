package transfuse.fusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.arch.vit.VitConfig;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.TensorSource;

/**
 * Fixtures outside OSGi: the real ViT architecture, solvers and bundled data behind a plain
 * {@link FusionServices}; tiny ViTs on the 8x8 digits.
 */
final class TestModels {
    private TestModels() {
    }

    static FusionServices services() {
        return TestServices.get();
    }

    /** Fusion options validated against the test aligners. */
    static FusionOptions options(Map<String, ?> given, int models) {
        return FusionOptions.parse(given, models, services()::aligner);
    }

    static Architecture vit() {
        return services().architecture("vit");
    }

    /** A ViT for the 8x8 single-channel digits: patch 4 (4 patches + CLS), 10 classes. */
    static ModelConfig config(int hidden, int layers, int heads, int mlp) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(Integer.toString(i));
        }
        return VitConfig.toModelConfig(hidden, layers, heads, mlp, 8, 4, 1, names);
    }

    /** Initial weights perturbed everywhere: fresh zero biases and unit norms would hide axis mistakes. */
    static Map<String, Tensor> weights(ModelConfig config, long seed) {
        Random r = new Random(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        vit().initialize(config, seed).forEach((name, t) -> {
            float[] v = t.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] += (float) (r.nextGaussian() * 0.2);
            }
            out.put(name, Tensor.ofFloats(t.shape(), v));
        });
        return out;
    }

    static Path write(Path dir, ModelConfig config, Map<String, Tensor> weights) {
        List<TensorSource> sources = new ArrayList<>();
        weights.forEach((n, t) -> sources.add(TensorSource.of(n, t)));
        ModelDir.write(dir, config, sources, Map.of());
        return dir;
    }

    static ModelConfig configOf(Path dir) {
        try (ModelDir d = ModelDir.open(dir)) {
            return d.config();
        }
    }

    static float[] logits(Path dir, int samples) {
        ModelConfig c = configOf(dir);
        Map<String, Tensor> w = FusionEngine.load(dir);
        Dataset data = services().dataset("digits", transfuse.api.data.Split.TEST);
        return vit().forward(c, w, ForwardRequest.logits(vit().inputs(c, data, 0, samples))).logits().toFloats();
    }

    /** max |a - b| / max |a| */
    static double relativeDifference(float[] a, float[] b) {
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - b[i]));
            scale = Math.max(scale, Math.abs(a[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }

    /** The largest relative difference over all tensors of two weight maps (same names, same shapes). */
    static double maxTensorDifference(Map<String, Tensor> a, Map<String, Tensor> b) {
        double worst = 0;
        for (String name : a.keySet()) {
            worst = Math.max(worst, relativeDifference(a.get(name).toFloats(), b.get(name).toFloats()));
        }
        return worst;
    }
}
