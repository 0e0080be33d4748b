package transfuse.server.jobs;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.progress.ProgressListener;
import transfuse.core.PluginCatalog;
import transfuse.jobs.RegistryJobContext;

/**
 * A job run by the server: inputs confined to the roots ({@link PathGuard}), outputs in the job's
 * own {@code HOME/jobs/ID/out/}, progress and log lines into the store and the event streams. If a
 * bundle whose service the job uses is removed, the job fails naming that bundle.
 */
final class ServerJobContext extends RegistryJobContext implements ServiceListener {
    /** At most this many progress events per second and task; the last of a task always goes through. */
    private static final long MIN_PROGRESS_NANOS = 250_000_000L;

    private final BundleContext bundles;
    private final String jobId;
    private final Path out;
    private final PathGuard guard;
    private final JobEvents events;
    private final long start = System.nanoTime();

    ServerJobContext(PluginCatalog catalog, BundleContext bundles, Path home, String jobId, Path out, PathGuard guard,
                     JobEvents events) {
        super(catalog, bundles, home);
        this.bundles = bundles;
        this.jobId = jobId;
        this.out = out;
        this.guard = guard;
        this.events = events;
        bundles.addServiceListener(this);
    }

    Path out() {
        return out;
    }

    @Override
    protected ProgressListener show(String label) {
        long[] last = {0};
        return (task, done, total, message) -> {
            long now = System.nanoTime();
            boolean finished = total > 0 && done >= total;
            if (!finished && now - last[0] < MIN_PROGRESS_NANOS) {
                return;
            }
            last[0] = now;
            double elapsed = (now - start) / 1e9;
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("task", label + ": " + task);
            p.put("done", done);
            p.put("total", total);
            p.put("fraction", total > 0 ? Math.min(1.0, (double) done / total) : null);
            p.put("eta_s", total > 0 && done > 0 && !finished ? elapsed * (total - done) / done : null);
            p.put("message", message == null ? "" : message);
            events.progress(jobId, p);
        };
    }

    @Override
    public void log(String line) {
        events.log(jobId, line);
    }

    @Override
    public Path input(String key, String path) {
        return guard.resolve(key, path);
    }

    /** Outputs are the server's to place: {@code HOME/jobs/ID/out/NAME}, whatever the spec said. */
    @Override
    public Path output(String key, String given, String name) {
        return out.resolve(name);
    }

    /** A data set by name passes as it is; one given as a path is confined like any input. */
    @Override
    public Dataset dataset(String spec, Split split) {
        if (spec.contains("/") || spec.startsWith(".")) {
            int colon = spec.lastIndexOf(':');
            boolean counted = colon > 0 && spec.substring(colon + 1).chars().allMatch(Character::isDigit)
                    && colon < spec.length() - 1;
            String path = counted ? spec.substring(0, colon) : spec;
            String confined = guard.resolve("data", path).toString();
            return super.dataset(counted ? confined + spec.substring(colon) : confined, split);
        }
        return super.dataset(spec, split);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        if (event.getType() == ServiceEvent.UNREGISTERING) {
            String plugin = heldPlugin(event.getServiceReference());
            if (plugin != null) {
                var bundle = event.getServiceReference().getBundle();
                fail("bundle " + (bundle == null ? "?" : bundle.getSymbolicName()) + " was removed while the job used"
                        + " its plugin '" + plugin + "'");
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            bundles.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the framework is stopping
        }
        super.close();
    }
}
