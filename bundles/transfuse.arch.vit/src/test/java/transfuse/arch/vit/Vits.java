package transfuse.arch.vit;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** Shared fixtures: DJL initialized once outside OSGi, tiny configs, random images. */
final class Vits {
    private static VitArchitecture vit;

    private Vits() {
    }

    static synchronized VitArchitecture vit() {
        if (vit == null) {
            DjlRuntime.initialize(DjlRuntime.class);
            vit = new VitArchitecture(new DjlRuntime());
        }
        return vit;
    }

    static ModelConfig tiny(int hidden, int layers, int heads, int intermediate, int image, int patch, int channels,
                            int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("c" + i);
        }
        return VitConfig.toModelConfig(hidden, layers, heads, intermediate, image, patch, channels, names);
    }

    static Tensor images(int n, int channels, int side, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * channels * side * side];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat();
        }
        return Tensor.ofFloats(new long[] {n, channels, side, side}, v);
    }

    static double maxAbs(float[] a) {
        double m = 0;
        for (float x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
