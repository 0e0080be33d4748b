package transfuse.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;

/** The functional layers against their textbook definitions, and one AdamW step against its formula. */
class LayersTest {
    @BeforeAll
    static void djl() {
        DjlRuntime.initialize(DjlRuntime.class);
    }

    @Test
    void geluIsTheExactErfForm() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            float[] x = {-2f, -0.5f, 0f, 1f, 3f};
            float[] y = Layers.gelu(m.create(x)).toFloatArray();
            // x * Phi(x): Phi(1) = 0.8413447; the tanh approximation would give 0.8411920.
            assertEquals(0.8413447f, y[3], 1e-6f);
            assertEquals(-0.0455003f, y[0], 1e-6f);
            assertEquals(-0.1542687f, y[1], 1e-6f);
            assertEquals(2.9959502f, y[4], 1e-6f);
        }
    }

    @Test
    void linearUsesPyTorchsOutInLayout() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray w = m.create(new float[] {1, 0, 0, 0, 1, 1}, new Shape(2, 3)); // [out 2, in 3]
            NDArray b = m.create(new float[] {10, 20});
            assertArrayEquals(new float[] {11, 25}, Layers.linear(x, w, b).toFloatArray());
        }
    }

    @Test
    void layerNormNormalisesTheLastAxis() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 4));
            float[] y = Layers.layerNorm(x, m.ones(new Shape(4)), m.zeros(new Shape(4)), 1e-12).toFloatArray();
            float sd = (float) Math.sqrt(1.25);
            assertArrayEquals(new float[] {-1.5f / sd, -0.5f / sd, 0.5f / sd, 1.5f / sd}, y, 1e-5f);
        }
    }

    @Test
    void crossEntropyIsMeanNegativeLogLikelihood() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(new float[] {0, 0, Float.parseFloat("0.6931472"), 0}, new Shape(2, 2));
            NDArray labels = m.create(new long[] {0, 0});
            double expected = (Math.log(2) + Math.log(1.5)) / 2; // p(label) = 1/2 and 2/3
            assertEquals(expected, Layers.crossEntropy(logits, labels).getFloat(), 1e-6);
        }
    }

    @Test
    void oneAdamWStepMatchesTheDecoupledFormula() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Map<String, Tensor> t = new LinkedHashMap<>();
            t.put("w.weight", Tensor.ofFloats(new long[] {2, 2}, new float[] {1, -2, 3, 0.5f}));
            t.put("w.bias", Tensor.ofFloats(new long[] {2}, new float[] {0.5f, -0.5f}));
            Params p = Params.of(m, t, true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                // loss = sum(W^2) + sum(b): grad W = 2W, grad b = 1
                gc.backward(p.get("w.weight").square().sum().add(p.get("w.bias").sum()));
            }
            double lr = 0.1, wd = 0.01;
            new AdamW(p, wd, 0).update(p, lr);
            float[] w = p.get("w.weight").toFloatArray();
            float[] w0 = {1, -2, 3, 0.5f};
            for (int i = 0; i < 4; i++) {
                // step 1: m_hat = g, v_hat = g^2, so the Adam step is lr * sign(g) (up to eps); decay lr*wd*w
                double expected = w0[i] * (1 - lr * wd) - lr * Math.signum(2 * w0[i]);
                assertEquals(expected, w[i], 1e-5);
            }
            // biases are not decayed
            assertArrayEquals(new float[] {0.4f, -0.6f}, p.get("w.bias").toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0, 0}, p.get("w.bias").getGradient().toFloatArray(), "gradients are zeroed");
        }
    }

    @Test
    void globalNormClippingScalesTheGradient() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            Params p = Params.of(m, Map.of("w.weight", Tensor.ofFloats(new long[] {1, 2}, new float[] {3, 4})), true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(p.get("w.weight").square().sum().div(2)); // grad = w, norm 5
            }
            assertEquals(5.0, new AdamW(p, 0, 1.0).update(p, 0.1), 1e-6, "reports the norm before clipping");
        }
    }
}
