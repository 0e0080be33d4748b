package transfuse.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class DjlRuntimeTest {
    @Test
    void pytorchMatrixProductMatchesPlainJava() {
        assertEquals("2.7.1", DjlRuntime.initialise(DjlRuntime.class));
        int n = 6, k = 4, m = 3;
        double[] a = new double[n * k];
        double[] b = new double[k * m];
        for (int i = 0; i < a.length; i++) a[i] = i * 0.5 - 3;
        for (int i = 0; i < b.length; i++) b[i] = Math.sqrt(i + 1);
        double[] expected = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int p = 0; p < k; p++) expected[i * m + j] += a[i * k + p] * b[p * m + j];
        try (NDManager nd = NDManager.newBaseManager("PyTorch")) {
            NDArray x = nd.create(a, new Shape(n, k));
            NDArray y = nd.create(b, new Shape(k, m));
            // float64 throughout; 1e-12 allows for a different summation order in BLAS.
            assertArrayEquals(expected, x.matMul(y).toDoubleArray(), 1e-12);
        }
    }
}
