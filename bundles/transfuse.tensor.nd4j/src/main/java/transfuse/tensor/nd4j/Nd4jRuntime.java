package transfuse.tensor.nd4j;

import java.nio.file.Path;

import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/**
 * The initialized ND4J backend. Components that compute with ND4J take a reference to this
 * service: its presence guarantees the backend was found with this bundle's class loader
 * (ND4J's ServiceLoader lookup fails otherwise and leaves {@code Nd4j} broken for the JVM's life).
 */
@Component(service = Nd4jRuntime.class)
public final class Nd4jRuntime {
    private final String backend;

    /** In OSGi: initializes ND4J, so the service's presence means the backend is ready. */
    @Activate
    public Nd4jRuntime() {
        backend = initialize(Nd4jRuntime.class);
    }

    /**
     * Points ND4J's class lookups at the class loader that holds the embedded jars, then
     * touches {@code Nd4j} so the backend loads now. Also used directly outside OSGi (tests).
     */
    public static String initialize(Class<?> anchor) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(anchor.getClassLoader());
        try {
            // JavaCPP extracts natives under a versioned cache so different builds never share files.
            if (System.getProperty("org.bytedeco.javacpp.cachedir") == null) {
                Path cache = Path.of(System.getProperty("user.home"), ".transfuse", "cache", "javacpp-1.5.7");
                System.setProperty("org.bytedeco.javacpp.cachedir", cache.toString());
            }
            ND4JClassLoading.setNd4jClassloaderFromClass(anchor);
            Nd4j.create(DataType.DOUBLE, 1, 1);
            return Nd4j.getBackend().getClass().getSimpleName();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** The backend's class name, e.g. {@code CpuBackend} or {@code JCublasBackend}. */
    public String backend() {
        return backend;
    }

    /** Copies a floating-point Tensor into a C-order INDArray of type DOUBLE. */
    public static INDArray toDoubleArray(Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException("expected a floating-point tensor, got " + t.dtype());
        }
        return Nd4j.create(t.toDoubles(), t.shape(), 'c');
    }

    /** Copies an INDArray into an F64 Tensor. */
    public static Tensor toTensor(INDArray a) {
        INDArray d = a.castTo(DataType.DOUBLE).dup('c');
        return Tensor.ofDoubles(d.shape(), d.data().asDouble());
    }

    /** The dtype this bundle computes in: alignment math is float64 throughout. */
    public static DType computeType() {
        return DType.F64;
    }
}
