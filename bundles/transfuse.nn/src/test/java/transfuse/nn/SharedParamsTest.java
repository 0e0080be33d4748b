package transfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** Names bound to one shared array: one array, gradients summed over its uses, one optimizer update. */
class SharedParamsTest {
    private static final String W0 = "layer.0.w";
    private static final String W1 = "layer.1.w";

    @BeforeAll
    static void djl() {
        DjlRuntime.initialize(DjlRuntime.class);
    }

    private static Map<String, Tensor> twoLayers(float[] w0, float[] w1) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put(W0, Tensor.ofFloats(new long[] {3, 3}, w0));
        t.put(W1, Tensor.ofFloats(new long[] {3, 3}, w1));
        return t;
    }

    private static float[] random(long seed, int n) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** loss = sum(tanh(W1 · tanh(W0 · x))): each layer's weight used once. */
    private static NDArray loss(Params p, NDArray x) {
        NDArray h = p.get(W0).matMul(x).tanh();
        return p.get(W1).matMul(h).tanh().sum();
    }

    @Test
    void theGradientOfASharedArrayIsTheSumOfThePerLayerGradientsOfAnUnsharedCopy() {
        float[] w = random(1, 9);
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(random(2, 6), new ai.djl.ndarray.types.Shape(3, 2));
            Params shared = Params.of(m, twoLayers(w, new float[9]), true, Map.of(W1, W0));
            Params copies = Params.of(m, twoLayers(w, w.clone()), true);
            assertSame(shared.get(W0), shared.get(W1), "both names are one array");
            assertEquals(1, shared.distinct().size());
            for (Params p : new Params[] {shared, copies}) {
                try (NDScope scope = new NDScope(); GradientCollector gc = engine.newGradientCollector()) {
                    gc.backward(loss(p, x));
                }
            }
            float[] sum = copies.get(W0).getGradient().add(copies.get(W1).getGradient()).toFloatArray();
            float[] got = shared.get(W0).getGradient().toFloatArray();
            for (int i = 0; i < sum.length; i++) {
                assertEquals(sum[i], got[i], 1e-5f, "element " + i);
            }
        }
    }

    @Test
    void adamUpdatesASharedArrayOnceAndItsNamesStayEqual() {
        float[] w = random(3, 9);
        Engine engine = Engine.getEngine("PyTorch");
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(random(4, 6), new ai.djl.ndarray.types.Shape(3, 2));
            Params shared = Params.of(m, twoLayers(w, w), true, Map.of(W1, W0));
            AdamW adam = new AdamW(shared, 0.0, 0);
            for (int step = 0; step < 3; step++) {
                try (NDScope scope = new NDScope(); GradientCollector gc = engine.newGradientCollector()) {
                    gc.backward(loss(shared, x));
                }
                adam.update(shared, 1e-2);
            }
            Map<String, Tensor> out = shared.toTensors();
            assertArrayEquals(out.get(W0).toFloats(), out.get(W1).toFloats());
            assertEquals(2, adam.state().size(), "one mean and one variance: the shared array is one parameter");
            // Adam's first step moves every element by about lr, whatever the gradient's scale: once, not twice.
            assertEquals(3e-2, Math.abs(out.get(W0).toFloats()[0] - w[0]), 1.5e-2);
        }
    }
}
