package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import transfuse.api.tensor.Tensor;
import transfuse.djl.DjlRuntime;
import transfuse.tensor.nd4j.Nd4jRuntime;

/** ND4J and DJL (PyTorch) both compute inside the framework, and DJL stays offline. */
@ExtendWith(ServiceExtension.class)
class NumericRuntimesIT {
    static final int N = 7, K = 5, M = 3;

    @InjectService
    Nd4jRuntime nd4j;

    @InjectService
    DjlRuntime djl;

    @Test
    void nd4jMatrixProductMatchesPlainJava() {
        assertEquals("CpuBackend", nd4j.backend());
        INDArray a = Nd4jRuntime.toDoubleArray(Tensor.ofDoubles(new long[] {N, K}, left()));
        INDArray b = Nd4jRuntime.toDoubleArray(Tensor.ofDoubles(new long[] {K, M}, right()));
        // float64; 1e-12 covers BLAS summing in another order.
        assertArrayEquals(expected(), Nd4jRuntime.toTensor(a.mmul(b)).toDoubles(), 1e-12);
    }

    @Test
    void djlMatrixProductMatchesPlainJavaWithoutNetwork() {
        RecordingProxySelector recorder = new RecordingProxySelector();
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(recorder);
        try {
            double[] product = djl.call(() -> {
                try (NDManager nd = NDManager.newBaseManager(DjlRuntime.ENGINE)) {
                    NDArray a = nd.create(left(), new Shape(N, K));
                    NDArray b = nd.create(right(), new Shape(K, M));
                    return a.matMul(b).toDoubleArray();
                }
            });
            assertArrayEquals(expected(), product, 1e-12);
            assertEquals("2.7.1", djl.engineVersion());
        } finally {
            ProxySelector.setDefault(previous);
        }
        // Every URL connection (HTTP, HTTPS, FTP) consults the default ProxySelector first.
        assertTrue(recorder.asked.isEmpty(), "DJL tried to connect to " + recorder.asked);
        assertEquals("true", System.getProperty("ai.djl.offline"));
    }

    private static double[] left() {
        double[] a = new double[N * K];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(0.3 * i);
        }
        return a;
    }

    private static double[] right() {
        double[] b = new double[K * M];
        for (int i = 0; i < b.length; i++) {
            b[i] = i % 4 - 1.5;
        }
        return b;
    }

    private static double[] expected() {
        double[] a = left();
        double[] b = right();
        double[] c = new double[N * M];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < M; j++) {
                for (int p = 0; p < K; p++) {
                    c[i * M + j] += a[i * K + p] * b[p * M + j];
                }
            }
        }
        return c;
    }

    /** Records every connection attempt and refuses it. */
    static final class RecordingProxySelector extends ProxySelector {
        final List<URI> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            throw new IllegalStateException("network access attempted: " + uri);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
        }
    }
}
