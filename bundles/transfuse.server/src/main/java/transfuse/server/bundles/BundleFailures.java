package transfuse.server.bundles;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.ServiceException;

import transfuse.server.ServerHome;

/**
 * The last failure of each bundle: the framework's {@code ERROR} events (a bundle the start level
 * could not start, a listener that threw) and the failed installs and starts this package saw
 * itself. Each new failure is logged once; starting or uninstalling the bundle forgets it.
 */
final class BundleFailures implements FrameworkListener, BundleListener {
    private final Map<Long, String> failures = new ConcurrentHashMap<>();
    private final ServerHome home;

    BundleFailures(ServerHome home) {
        this.home = home;
    }

    void record(Bundle bundle, String reason) {
        String previous = failures.put(bundle.getBundleId(), reason);
        if (!reason.equals(previous)) {
            home.log("bundle " + BundleJson.label(bundle) + " failed: " + reason);
        }
    }

    String of(long bundleId) {
        return failures.get(bundleId);
    }

    Map<Long, String> all() {
        return Map.copyOf(failures);
    }

    @Override
    public void frameworkEvent(FrameworkEvent event) {
        // A service factory's failure names the bundle that asked for the service, not the one that
        // failed; SCR reports the failing component itself (ComponentFailures).
        if (event.getType() == FrameworkEvent.ERROR && event.getBundle() != null
                && !(event.getThrowable() instanceof ServiceException)) {
            record(event.getBundle(), event.getThrowable() == null ? "framework error" : Reasons.of(event.getThrowable()));
        }
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        if (event.getType() == BundleEvent.STARTED || event.getType() == BundleEvent.UNINSTALLED) {
            failures.remove(event.getBundle().getBundleId());
        }
    }
}
