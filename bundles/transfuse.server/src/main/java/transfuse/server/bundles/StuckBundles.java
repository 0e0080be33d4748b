package transfuse.server.bundles;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * Deployed bundles that FileInstall installed but could not start. FileInstall logs the reason only
 * to its own log; starting the bundle once more here (FileInstall retries it anyway) answers the
 * resolver's or the activator's reason, recorded as the bundle's failure. Once per bundle revision.
 */
final class StuckBundles {
    private final BundleContext context;
    private final DeployFolder deploy;
    private final BundleFailures failures;
    private final long graceMillis;
    private final Set<String> diagnosed = ConcurrentHashMap.newKeySet();
    private final Set<String> touched = ConcurrentHashMap.newKeySet();

    StuckBundles(BundleContext context, DeployFolder deploy, BundleFailures failures, long graceMillis) {
        this.context = context;
        this.deploy = deploy;
        this.failures = failures;
        this.graceMillis = graceMillis;
    }

    void diagnose(List<Bundle> bundles) {
        for (Bundle b : bundles) {
            if (isStuck(b) && diagnosed.add(revision(b))) {
                String reason = BundleOps.startOrReason(b);
                if (reason != null) {
                    failures.record(b, reason);
                }
            }
        }
    }

    /** Gets each plugin service of a newly active deployed bundle once, so a throwing constructor shows. */
    void touchOnce(Bundle b) {
        if (touched.add(revision(b))) {
            BundleOps.touchPlugins(context, b);
        }
    }

    private boolean isStuck(Bundle b) {
        if (deploy.jarOf(b) == null || BundleOps.isStarted(b) || BundleOps.isFragment(b)
                || System.currentTimeMillis() - b.getLastModified() < graceMillis) {
            return false;
        }
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        // Only bundles meant to run: FileInstall starts persistently; a bundle stopped on purpose stays so.
        return level != null && level.isPersistentlyStarted() && (b.getState() == Bundle.INSTALLED || b.getState() == Bundle.RESOLVED);
    }

    private static String revision(Bundle b) {
        return b.getBundleId() + "@" + b.getLastModified();
    }
}
