package transfuse.io.files;

import java.nio.file.Path;

/**
 * Transfuse's home directory, where caches, deployed plugins and the server's store live:
 * {@code $TRANSFUSE_HOME}, else {@code ~/.transfuse}. The one place that rule is written.
 */
public final class TransfuseHome {
    public static final String ENV = "TRANSFUSE_HOME";

    private TransfuseHome() {
    }

    public static Path get() {
        String env = System.getenv(ENV);
        Path home = env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".transfuse");
        return home.toAbsolutePath().normalize();
    }
}
