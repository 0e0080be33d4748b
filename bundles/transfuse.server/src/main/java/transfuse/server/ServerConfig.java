package transfuse.server;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.BundleContext;

/**
 * What {@code transfuse serve} configured, read from the framework properties it sets (Felix falls
 * back to system properties): where files may be read from, how many jobs run and wait, how large
 * an upload may be, and which host names the server answers to.
 *
 * @param roots      folders spec paths must resolve into: {@code HOME/models} and every {@code --root}
 * @param workers    jobs of the non-training kinds that may run at once
 * @param maxQueued  queued jobs beyond which a submission is refused (429)
 * @param maxUpload  the largest bundle jar {@code POST /api/bundles} accepts, in bytes
 * @param host       the address the server listens on ({@code 127.0.0.1} unless {@code --host})
 * @param tokenFile  where the access token lives
 */
public record ServerConfig(List<Path> roots, int workers, int maxQueued, long maxUpload, String host, Path tokenFile) {
    public static final String ROOTS = "transfuse.server.roots";
    public static final String WORKERS = "transfuse.server.workers";
    public static final String MAX_QUEUED = "transfuse.server.max-queued";
    public static final String MAX_UPLOAD = "transfuse.server.max-upload";
    public static final String HOST = "org.apache.felix.http.host";
    public static final String TOKEN_FILE = "transfuse.server.token-file";

    /** The largest JSON request body (a spec), in bytes. */
    public static final int MAX_JSON_BODY = 1 << 20;

    public static ServerConfig of(BundleContext context, Path home) {
        List<Path> roots = new ArrayList<>();
        roots.add(home.resolve("models"));
        String extra = context.getProperty(ROOTS);
        if (extra != null) {
            for (String r : extra.split(File.pathSeparator)) {
                if (!r.isBlank()) {
                    roots.add(Path.of(r).toAbsolutePath().normalize());
                }
            }
        }
        String token = context.getProperty(TOKEN_FILE);
        return new ServerConfig(List.copyOf(roots), intProperty(context, WORKERS, 1),
                intProperty(context, MAX_QUEUED, 100), longProperty(context, MAX_UPLOAD, 256L << 20),
                context.getProperty(HOST) == null ? "127.0.0.1" : context.getProperty(HOST),
                token == null ? home.resolve("token") : Path.of(token));
    }

    private static int intProperty(BundleContext c, String key, int fallback) {
        return (int) longProperty(c, key, fallback);
    }

    private static long longProperty(BundleContext c, String key, long fallback) {
        String v = c.getProperty(key);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v.trim());
    }
}
