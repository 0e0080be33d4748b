package transfuse.server.bundles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** The identity a jar's manifest claims, read without installing it. */
record BundleJar(String symbolicName, Version version) {
    /** Why a file is not a bundle jar, in words for the client. */
    static final class NotABundle extends Exception {
        private static final long serialVersionUID = 1L;

        NotABundle(String reason) {
            super(reason);
        }
    }

    static BundleJar read(Path jar) throws NotABundle {
        Manifest manifest;
        try (JarFile file = new JarFile(jar.toFile())) {
            manifest = file.getManifest();
        } catch (IOException e) {
            throw new NotABundle("not a jar (" + Reasons.of(e) + ")");
        }
        if (manifest == null) {
            throw new NotABundle("no META-INF/MANIFEST.MF");
        }
        String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null || bsn.isBlank()) {
            throw new NotABundle("no Bundle-SymbolicName in its manifest");
        }
        String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
        try {
            // Directives (singleton:=true) follow the name after a semicolon.
            return new BundleJar(bsn.split(";", 2)[0].strip(), Version.parseVersion(version == null ? null : version.strip()));
        } catch (IllegalArgumentException e) {
            throw new NotABundle("Bundle-Version '" + version + "' is not a version");
        }
    }

    /** {@code <bsn>-<version>.jar}, the name an uploaded bundle gets in the deploy folder. */
    String fileName() {
        return (symbolicName + "-" + version).replaceAll("[^A-Za-z0-9._-]", "_") + ".jar";
    }
}
