package transfuse.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The server's home folder ({@code transfuse.home}, set by {@code transfuse serve --home}):
 * {@code deploy/} watched for plugin bundles, {@code logs/server.log}.
 */
@Component(service = ServerHome.class)
public final class ServerHome {
    private final Path home;
    private final Path log;

    @Activate
    public ServerHome(BundleContext context) {
        String configured = context.getProperty("transfuse.home");
        home = Path.of(configured != null ? configured
                : Path.of(System.getProperty("user.home"), ".transfuse").toString()).toAbsolutePath();
        log = home.resolve("logs").resolve("server.log");
        try {
            Files.createDirectories(log.getParent());
            Files.createDirectories(home.resolve("deploy"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the server home " + home, e);
        }
    }

    public Path home() {
        return home;
    }

    /** Appends one timestamped line to {@code logs/server.log}. */
    public synchronized void log(String line) {
        String entry = Instant.now() + " " + line + System.lineSeparator();
        try {
            Files.writeString(log, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("server log unwritable (" + log + "): " + e.getMessage() + "; " + entry);
        }
    }
}
