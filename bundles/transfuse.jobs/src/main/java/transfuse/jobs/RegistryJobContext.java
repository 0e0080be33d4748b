package transfuse.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.DatasetProvider;
import transfuse.api.data.Split;
import transfuse.api.job.JobCancelledException;
import transfuse.api.job.JobContext;
import transfuse.api.progress.ProgressListener;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;

/**
 * The part of a job context every front end shares: plugins from the service registry, held until
 * {@link #close()} so a bundle cannot be pulled from under a running job unnoticed; data sets from
 * the registered provider; a cancellation flag that progress reports check. Front ends add how
 * progress and log lines are shown and where files may be.
 */
public abstract class RegistryJobContext implements JobContext, AutoCloseable {
    private final PluginCatalog catalog;
    private final BundleContext bundles;
    private final Path home;
    private final List<PluginHandle<?>> handles = new ArrayList<>();
    private volatile boolean cancelled;
    private volatile String failure;

    protected RegistryJobContext(PluginCatalog catalog, BundleContext bundles, Path home) {
        this.catalog = catalog;
        this.bundles = bundles;
        this.home = home;
    }

    /** Requests cancellation; the job stops at its next progress report or check. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Stops the job at its next check as failed rather than cancelled, e.g. when a bundle whose
     * service it uses is removed.
     */
    public void fail(String reason) {
        failure = reason;
        cancelled = true;
    }

    /** Why the job was stopped by {@link #fail}, or null. */
    public String failure() {
        return failure;
    }

    /** The plugin in use under this registration, or null when the job does not hold it. */
    protected synchronized String heldPlugin(ServiceReference<?> ref) {
        for (PluginHandle<?> h : handles) {
            if (h.reference().equals(ref)) {
                return String.valueOf(ref.getProperty(Plugin.NAME_PROPERTY));
            }
        }
        return null;
    }

    /** How this front end shows one phase's progress (a terminal line, an event). */
    protected abstract ProgressListener show(String label);

    @Override
    public final ProgressListener progress(String label) {
        ProgressListener shown = show(label);
        return (task, done, total, message) -> {
            checkCancelled();
            shown.progress(task, done, total, message);
        };
    }

    @Override
    public void checkCancelled() {
        if (cancelled) {
            throw new JobCancelledException(failure != null ? failure : "cancelled");
        }
    }

    @Override
    public synchronized <T extends Plugin> T plugin(Class<T> type, String name) {
        PluginHandle<T> h = catalog.open(type, name);
        handles.add(h);
        return h.get();
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        ServiceReference<DatasetProvider> ref = bundles.getServiceReference(DatasetProvider.class);
        DatasetProvider provider = ref == null ? null : bundles.getService(ref);
        if (provider == null) {
            throw new TransfuseException("no data set provider is installed (the transfuse.data bundle)");
        }
        try {
            return provider.open(spec, split);
        } finally {
            bundles.ungetService(ref);
        }
    }

    @Override
    public Path home() {
        return home;
    }

    /** Releases every plugin the job used. */
    @Override
    public synchronized void close() {
        for (PluginHandle<?> h : handles) {
            h.close();
        }
        handles.clear();
    }
}
