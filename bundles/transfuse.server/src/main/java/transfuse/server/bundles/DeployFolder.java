package transfuse.server.bundles;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;

/**
 * {@code HOME/deploy}, watched by FileInstall. FileInstall installs a jar there with the location
 * {@code file.toURI().normalize()} and, after a restart, adopts every bundle whose location points
 * into the folder; the same rule tells a deployed bundle from one of the runtime's own.
 */
final class DeployFolder {
    private final Path dir;

    DeployFolder(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    Path dir() {
        return dir;
    }

    /** The jar in this folder a bundle was installed from, or null for a bundle of the runtime. */
    Path jarOf(Bundle bundle) {
        String location = bundle.getLocation();
        if (location == null || Constants.SYSTEM_BUNDLE_LOCATION.equals(location)) {
            return null;
        }
        Path file;
        try {
            URI uri = new URI(location).normalize();
            if (!"file".equals(uri.getScheme()) || uri.getPath() == null) {
                return null; // reference:, http:, an in-memory probe: not FileInstall's
            }
            file = Path.of(uri.getPath());
        } catch (URISyntaxException | IllegalArgumentException e) {
            file = new File(location).toPath();
        }
        file = file.toAbsolutePath().normalize();
        return dir.equals(file.getParent()) ? file : null;
    }

    /** The {@code *.jar} files in the folder now. */
    List<Path> jars() {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    jars.add(f.toAbsolutePath().normalize());
                }
            }
        } catch (IOException e) {
            // A missing or unreadable folder holds no jars; FileInstall reports it itself.
        }
        return jars;
    }
}
