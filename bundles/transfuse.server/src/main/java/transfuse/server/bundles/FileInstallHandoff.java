package transfuse.server.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;

import transfuse.server.ServerHome;
import transfuse.server.http.HttpProblem;

/**
 * Installs and removes deployed bundles through FileInstall, never beside it. An upload is checked,
 * moved atomically to {@code HOME/deploy/<bsn>-<version>.jar}, and FileInstall installs and starts
 * it as it does any dropped jar; this class waits for that bundle and, when it does not start, asks
 * the framework why and removes it again. Installing it here would fight FileInstall: on its next
 * poll it finds a bundle of the same name and version whose checksum it never stored and updates it
 * from the file. Removing goes the same way: the jar is deleted and FileInstall uninstalls the
 * bundle; uninstalling it here first leaves FileInstall 3.7.4 with a stale record of the file (its
 * UNINSTALLED handler removes the record from a copy), so a jar written again under the same name is
 * never installed.
 */
final class FileInstallHandoff {
    private static final long SETTLE_MILLIS = 2000;

    private final BundleContext context;
    private final DeployFolder deploy;
    private final Uploads uploads;
    private final BundleFailures failures;
    private final ServerHome home;
    private final long waitMillis;

    FileInstallHandoff(BundleContext context, DeployFolder deploy, Uploads uploads, BundleFailures failures,
                    ServerHome home, long fileInstallPollMillis) {
        this.context = context;
        this.deploy = deploy;
        this.uploads = uploads;
        this.failures = failures;
        this.home = home;
        // FileInstall reports a file once it was the same on two polls; leave room for a busy one.
        this.waitMillis = 5 * fileInstallPollMillis + 5000;
    }

    /** @return the started bundle */
    Bundle install(InputStream body, long maxBytes) {
        Path staged = uploads.receive(body, maxBytes);
        try {
            BundleJar identity = identify(staged);
            Path target = deploy.dir().resolve(identity.fileName());
            refuseTwin(identity, target);
            requireFileInstall();
            move(staged, target);
            home.log("bundle upload " + identity.symbolicName() + " " + identity.version() + " stored as " + target);
            Bundle bundle = awaitInstalled(target);
            String reason = awaitStarted(bundle);
            if (reason != null) {
                discard(bundle, target, reason);
                throw new HttpProblem(422, "bundle " + identity.symbolicName() + " " + identity.version()
                        + " cannot start: " + reason);
            }
            BundleOps.touchPlugins(context, bundle);
            return bundle;
        } finally {
            Uploads.delete(staged);
        }
    }

    private BundleJar identify(Path staged) {
        BundleJar identity;
        try {
            identity = BundleJar.read(staged);
        } catch (BundleJar.NotABundle e) {
            throw new HttpProblem(400, "not an OSGi bundle: " + e.getMessage());
        }
        String rejection = BundleOps.installRejection(context, staged);
        if (rejection != null) {
            throw new HttpProblem(400, "not an OSGi bundle: " + rejection);
        }
        return identity;
    }

    private void refuseTwin(BundleJar identity, Path target) {
        for (Bundle b : context.getBundles()) {
            if (identity.symbolicName().equals(b.getSymbolicName()) && identity.version().equals(b.getVersion())) {
                throw new HttpProblem(409, "bundle " + identity.symbolicName() + " " + identity.version()
                        + " is already installed (id " + b.getBundleId() + "); remove it first");
            }
        }
        if (Files.exists(target)) {
            throw new HttpProblem(409, "deploy/" + target.getFileName() + " already exists; remove it first");
        }
    }

    private void requireFileInstall() {
        String watched = context.getProperty("felix.fileinstall.dir");
        boolean running = List.of(context.getBundles()).stream().anyMatch(b ->
                "org.apache.felix.fileinstall".equals(b.getSymbolicName()) && b.getState() == Bundle.ACTIVE);
        if (!running || watched == null || !Path.of(watched).toAbsolutePath().normalize().equals(deploy.dir())) {
            throw new HttpProblem(503, "bundle uploads need FileInstall watching " + deploy.dir() + " (is the server started with transfuse serve?)");
        }
    }

    private static void move(Path staged, Path target) {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the bundle as " + target, e);
        }
    }

    private Bundle awaitInstalled(Path target) {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (System.currentTimeMillis() < deadline) {
            for (Bundle b : context.getBundles()) {
                if (target.equals(deploy.jarOf(b))) {
                    return b;
                }
            }
            sleep();
        }
        Uploads.delete(target);
        throw new HttpProblem(503, "FileInstall did not install deploy/" + target.getFileName() + " within "
                + waitMillis / 1000 + " s; the jar was removed again");
    }

    /**
     * Waits for FileInstall's own start, then starts it here if it still is not running, which
     * answers the reason. Null when it runs.
     */
    private String awaitStarted(Bundle bundle) {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (settled(bundle)) {
                return null;
            }
            sleep();
        }
        return BundleOps.isFragment(bundle) || BundleOps.isStarted(bundle) ? null : BundleOps.startOrReason(bundle);
    }

    /**
     * Started, and done starting: FileInstall's thread may still be inside the activator (state
     * STARTING), and the answer should say "active" once it is. A lazily activated bundle stays
     * STARTING until its first class load, so that counts as started.
     */
    private static boolean settled(Bundle bundle) {
        if (bundle.getState() == Bundle.STARTING) {
            Object policy = bundle.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY);
            return policy != null && policy.toString().trim().startsWith(Constants.ACTIVATION_LAZY);
        }
        return BundleOps.isStarted(bundle);
    }

    /** Records why the upload failed and removes its bundle and jar. */
    private void discard(Bundle bundle, Path target, String reason) {
        failures.record(bundle, reason);
        remove(bundle, target);
        home.log("bundle upload " + BundleJson.label(bundle) + " removed again: " + reason);
    }

    /**
     * Stops the bundle, deletes its jar and waits for FileInstall to uninstall it (uninstalling it
     * here only when FileInstall has not within the wait), then refreshes the framework.
     */
    void remove(Bundle bundle, Path jar) {
        try {
            bundle.stop(); // its services go now, not at FileInstall's next poll
        } catch (BundleException | IllegalStateException e) {
            home.log("bundle " + BundleJson.label(bundle) + " did not stop cleanly: " + Reasons.of(e));
        }
        Uploads.delete(jar);
        long deadline = System.currentTimeMillis() + waitMillis;
        while (bundle.getState() != Bundle.UNINSTALLED && System.currentTimeMillis() < deadline) {
            sleep();
        }
        if (bundle.getState() != Bundle.UNINSTALLED) {
            try {
                bundle.uninstall();
            } catch (BundleException | IllegalStateException e) {
                // Gone meanwhile.
            }
        }
        BundleOps.refresh(context, List.of(bundle));
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpProblem(503, "interrupted while waiting for FileInstall");
        }
    }
}
