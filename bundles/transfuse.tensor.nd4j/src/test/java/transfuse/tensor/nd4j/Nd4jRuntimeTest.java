package transfuse.tensor.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import transfuse.api.tensor.Tensor;

class Nd4jRuntimeTest {
    @Test
    void matrixProductMatchesPlainJava() {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        int n = 17, k = 9, m = 5;
        double[] a = new double[n * k];
        double[] b = new double[k * m];
        for (int i = 0; i < a.length; i++) a[i] = Math.sin(i * 0.37);
        for (int i = 0; i < b.length; i++) b[i] = Math.cos(i * 0.11);
        double[] expected = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
                for (int p = 0; p < k; p++) expected[i * m + j] += a[i * k + p] * b[p * m + j];

        INDArray x = Nd4jRuntime.toDoubleArray(Tensor.ofDoubles(new long[] {n, k}, a));
        INDArray y = Nd4jRuntime.toDoubleArray(Tensor.ofDoubles(new long[] {k, m}, b));
        Tensor product = Nd4jRuntime.toTensor(x.mmul(y));
        assertArrayEquals(new long[] {n, m}, product.shape());
        // BLAS may sum in another order: 1e-12 is a few ulps for values of order 1 summed 9 times.
        assertArrayEquals(expected, product.toDoubles(), 1e-12);
    }

    @Test
    void roundTripIsExact() {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        double[] v = {1.5, -2.25, Math.PI, 1e-300, -0.0, 7};
        Tensor t = Tensor.ofDoubles(new long[] {2, 3}, v);
        assertArrayEquals(v, Nd4jRuntime.toTensor(Nd4jRuntime.toDoubleArray(t)).toDoubles(), 0.0);
        assertEquals(6, Nd4jRuntime.toDoubleArray(t).length());
    }
}
