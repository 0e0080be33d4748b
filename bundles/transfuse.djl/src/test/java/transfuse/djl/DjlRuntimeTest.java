package transfuse.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

class DjlRuntimeTest {
    @Test
    void pytorchMatrixProductMatchesPlainJava() {
        assertEquals("2.7.1", DjlRuntime.initialize(DjlRuntime.class));
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

    /**
     * The service loads nothing until its first call (a weights-only command never pays for
     * libtorch), and a load hook runs once, after the load, with this bundle's context loader
     * even when the calling thread has another.
     */
    @Test
    void engineLoadsAtTheFirstCallAndHooksRunOnceWithTheBundleLoader() throws Exception {
        DjlRuntime djl = new DjlRuntime();
        List<ClassLoader> seen = new ArrayList<>();
        djl.whenLoaded(() -> seen.add(Thread.currentThread().getContextClassLoader()));
        assertFalse(djl.loaded());
        assertTrue(seen.isEmpty(), "the hook ran before any call");

        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        try (URLClassLoader other = new URLClassLoader(new URL[0], null)) {
            t.setContextClassLoader(other);
            assertEquals(2, djl.call(() -> {
                assertEquals(1, seen.size(), "the hook runs before the work of the first call");
                return 2;
            }));
            djl.call(() -> null);
            assertSame(other, t.getContextClassLoader(), "the caller's loader is restored");
        } finally {
            t.setContextClassLoader(previous);
        }
        assertTrue(djl.loaded());
        assertEquals(List.of(DjlRuntime.class.getClassLoader()), seen);

        djl.whenLoaded(() -> seen.add(null));
        assertEquals(2, seen.size(), "a hook registered after the load runs at once");
        assertEquals("2.7.1", djl.engineVersion());
    }
}
