package transfuse.server.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

import transfuse.api.Plugin;

/** Framework operations shared by uploads, removals and the monitor. */
final class BundleOps {
    private BundleOps() {
    }

    /** Refreshes the bundles' wirings and waits (at most 30 s) until the framework is done. */
    static void refresh(BundleContext context, Collection<Bundle> bundles) {
        CountDownLatch done = new CountDownLatch(1);
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(bundles, e -> done.countDown());
        try {
            done.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts the bundle (persistently, as FileInstall does) and answers why it cannot start, or null
     * when it started: the resolver's missing requirement or the activator's exception.
     */
    static String startOrReason(Bundle bundle) {
        try {
            bundle.start();
            return null;
        } catch (BundleException | IllegalStateException e) {
            return Reasons.of(e);
        }
    }

    static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    /** Active, or as far as it goes: a fragment attaches, a lazy bundle waits in STARTING. */
    static boolean isStarted(Bundle bundle) {
        int state = bundle.getState();
        return state == Bundle.ACTIVE || state == Bundle.STARTING || isFragment(bundle) && state == Bundle.RESOLVED;
    }

    /**
     * Gets and releases each plugin service of the bundle once, so a component whose constructor
     * throws fails now (SCR then reports it) rather than at its first use in a job.
     */
    static void touchPlugins(BundleContext context, Bundle bundle) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs == null) {
            return;
        }
        for (ServiceReference<?> ref : refs) {
            if (ref.getProperty(Plugin.NAME_PROPERTY) != null) {
                try {
                    if (context.getService(ref) != null) {
                        context.ungetService(ref);
                    }
                } catch (RuntimeException e) {
                    // A failing service factory: SCR records the failure, which is what we are after.
                }
            }
        }
    }

    /**
     * Why the framework refuses to install this jar (a malformed manifest header, ...), or null when
     * it accepts it. The probe install is removed at once; it never resolves, so nothing wires to it.
     */
    static String installRejection(BundleContext context, Path jar) {
        try (InputStream in = Files.newInputStream(jar)) {
            Bundle probe = context.installBundle("transfuse-probe:" + jar.toUri(), in);
            probe.uninstall();
            return null;
        } catch (BundleException e) {
            return Reasons.of(e);
        } catch (IOException e) {
            return "unreadable: " + Reasons.of(e);
        }
    }
}
