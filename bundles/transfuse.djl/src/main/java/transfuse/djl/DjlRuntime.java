package transfuse.djl;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import ai.djl.engine.Engine;
import transfuse.api.TransfuseException;

/**
 * The initialised DJL PyTorch engine. Architecture bundles take a reference to this service and
 * run their DJL work through {@link #call}: DJL finds engines, native-library properties and
 * tokenizer natives through the thread context class loader, and {@code Engine} caches a
 * failed lookup for the life of the JVM, so the loader must be this bundle's before any DJL
 * class initialises and around every call.
 */
@Component(service = DjlRuntime.class)
public final class DjlRuntime {
    public static final String ENGINE = "PyTorch";

    private String engineVersion;

    @Activate
    void activate() {
        engineVersion = initialise(DjlRuntime.class);
    }

    /**
     * Forces offline mode, points DJL's cache under the Transfuse home, and loads the PyTorch
     * engine with the anchor's class loader as context loader. Also used outside OSGi (tests).
     */
    public static String initialise(Class<?> anchor) {
        // Nothing may download at run time: offline mode makes DJL fail instead of fetching.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path cache = Path.of(System.getProperty("user.home"), ".transfuse", "cache", "djl");
            System.setProperty("DJL_CACHE_DIR", cache.toString());
        }
        return withLoader(anchor.getClassLoader(), () -> Engine.getEngine(ENGINE).getVersion());
    }

    /** The PyTorch version the engine loaded, e.g. {@code 2.7.1}. */
    public String engineVersion() {
        return engineVersion;
    }

    /** Runs DJL work with this bundle's class loader as the thread context class loader. */
    public <T> T call(Callable<T> work) {
        return withLoader(DjlRuntime.class.getClassLoader(), work);
    }

    private static <T> T withLoader(ClassLoader loader, Callable<T> work) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new TransfuseException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
