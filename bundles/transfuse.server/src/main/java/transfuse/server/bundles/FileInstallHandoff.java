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

import transfuse.server.ServerHome;
import transfuse.server.http.HttpProblem;

/**
 * Installs an uploaded bundle by handing it to FileInstall: the jar is checked, moved atomically to
 * {@code HOME/deploy/<bsn>-<version>.jar}, and FileInstall installs and starts it as it does any
 * dropped jar. Installing it here instead would fight FileInstall: on its next poll it would find a
 * bundle of the same name and version whose checksum it never stored and update it from the file.
 * This class waits for FileInstall's bundle, asks the framework why it did not start when it did
 * not, and then removes it again.
 */
final class UploadInstaller {
    private static final long SETTLE_MILLIS = 2000;

    private final BundleContext context;
    private final DeployFolder deploy;
    private final Uploads uploads;
    private final BundleFailures failures;
    private final ServerHome home;
    private final long installWaitMillis;

    UploadInstaller(BundleContext context, DeployFolder deploy, Uploads uploads, BundleFailures failures,
                    ServerHome home, long fileInstallPollMillis) {
        this.context = context;
        this.deploy = deploy;
        this.uploads = uploads;
        this.failures = failures;
        this.home = home;
        // FileInstall reports a file once it was the same on two polls; leave room for a busy one.
        this.installWaitMillis = 5 * fileInstallPollMillis + 5000;
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
        long deadline = System.currentTimeMillis() + installWaitMillis;
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
                + installWaitMillis / 1000 + " s; the jar was removed again");
    }

    /**
     * Waits for FileInstall's own start, then starts it here if it still is not running, which
     * answers the reason. Null when it runs.
     */
    private String awaitStarted(Bundle bundle) {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (BundleOps.isStarted(bundle)) {
                return null;
            }
            sleep();
        }
        return BundleOps.isFragment(bundle) ? null : BundleOps.startOrReason(bundle);
    }

    /** Deletes the jar first, so FileInstall cannot install it again, then removes the bundle. */
    private void discard(Bundle bundle, Path target, String reason) {
        failures.record(bundle, reason);
        Uploads.delete(target);
        try {
            bundle.uninstall();
        } catch (BundleException | IllegalStateException e) {
            // FileInstall saw the jar go and uninstalled it first.
        }
        BundleOps.refresh(context, List.of(bundle));
        home.log("bundle upload " + BundleJson.label(bundle) + " removed again: " + reason);
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
