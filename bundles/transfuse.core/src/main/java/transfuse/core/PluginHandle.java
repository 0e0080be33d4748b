package transfuse.core;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** A plugin service in use; closing it releases the service so its bundle can go. */
public final class PluginHandle<T> implements AutoCloseable {
    private final BundleContext context;
    private final ServiceReference<T> ref;
    private final T service;

    PluginHandle(BundleContext context, ServiceReference<T> ref, T service) {
        this.context = context;
        this.ref = ref;
        this.service = service;
    }

    public T get() {
        return service;
    }

    /** The service's registration, e.g. to notice its bundle going away while it is in use. */
    public ServiceReference<T> reference() {
        return ref;
    }

    /** Symbolic name and version of the bundle providing the service, for reports. */
    public String provider() {
        return ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion();
    }

    @Override
    public void close() {
        context.ungetService(ref);
    }
}
