package transfuse.djl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.osgi.service.component.annotations.Component;

import ai.djl.engine.Engine;
import transfuse.api.TransfuseException;

/**
 * The DJL PyTorch engine. Architecture bundles take a reference to this service and run their
 * DJL work through {@link #call}: DJL finds engines, native-library properties and tokenizer
 * natives through the thread context class loader, and {@code Engine} caches a failed lookup for
 * the life of the JVM, so the loader must be this bundle's before any DJL class initializes and
 * around every call.
 * <p>
 * The engine is loaded on the first {@link #call} (or {@link #engineVersion}), not on activation:
 * libtorch costs ~107 MB of resident memory, and a command that only reads and writes weights (a
 * weights-based fuse) activates the architectures without running a network. Work that must
 * follow the load once (libtorch's thread count) registers with {@link #whenLoaded}.
 */
@Component(service = DjlRuntime.class)
public final class DjlRuntime {
    public static final String ENGINE = "PyTorch";

    private final List<Runnable> onLoad = new ArrayList<>();
    private volatile String engineVersion;

    /**
     * Forces offline mode, points DJL's cache under the Transfuse home, and loads the PyTorch
     * engine with the anchor's class loader as context loader. Also used outside OSGi (tests).
     */
    public static String initialize(Class<?> anchor) {
        // Nothing may download at run time: offline mode makes DJL fail instead of fetching.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("DJL_CACHE_DIR") == null && System.getenv("DJL_CACHE_DIR") == null) {
            Path cache = Path.of(System.getProperty("user.home"), ".transfuse", "cache", "djl");
            System.setProperty("DJL_CACHE_DIR", cache.toString());
        }
        return withLoader(anchor.getClassLoader(), () -> Engine.getEngine(ENGINE).getVersion());
    }

    /** The PyTorch version the engine loaded, e.g. {@code 2.7.1}; loads the engine if no call has yet. */
    public String engineVersion() {
        load();
        return engineVersion;
    }

    /** True once this service has loaded the engine (by a {@link #call} or {@link #engineVersion}). */
    public boolean loaded() {
        return engineVersion != null;
    }

    /**
     * Runs DJL work with this bundle's class loader as the thread context class loader, loading
     * the engine first if this is the first call.
     */
    public <T> T call(Callable<T> work) {
        load();
        return withLoader(DjlRuntime.class.getClassLoader(), work);
    }

    /**
     * Runs {@code action} once with the engine loaded and this bundle's context class loader:
     * now if the engine is already loaded, otherwise right after the load, before the work of the
     * call that triggers it. An action that fails fails that call and runs again at the next.
     */
    public void whenLoaded(Runnable action) {
        synchronized (onLoad) {
            if (!loaded()) {
                onLoad.add(action);
                return;
            }
        }
        call(() -> {
            action.run();
            return null;
        });
    }

    private void load() {
        if (engineVersion != null) {
            return;
        }
        synchronized (onLoad) {
            if (engineVersion != null) {
                return;
            }
            String version = initialize(DjlRuntime.class);
            withLoader(DjlRuntime.class.getClassLoader(), () -> {
                while (!onLoad.isEmpty()) {
                    onLoad.get(0).run();
                    onLoad.remove(0);
                }
                return null;
            });
            engineVersion = version;
        }
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
