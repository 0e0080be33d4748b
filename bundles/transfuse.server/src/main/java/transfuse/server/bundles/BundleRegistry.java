package transfuse.server.bundles;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The server's view of the framework's bundles for {@code /api/bundles} and the problems
 * {@code /api/health} reports. A DS service of this bundle.
 */
public interface BundleRegistry {
    /** Every bundle: {@code {"id","symbolic_name","version","state","location","error"?}}, by id. */
    List<Map<String, Object>> list();

    /**
     * Installs and starts an uploaded bundle jar, stored under {@code HOME/deploy} so it survives a
     * restart.
     *
     * @return the bundle as {@link #list()} shows it
     * @throws transfuse.server.http.HttpProblem 400 for a body that is not a bundle jar, 413 above
     *         {@code maxBytes}, 422 with the resolver's or activator's reason when it cannot start
     */
    Map<String, Object> install(InputStream jar, long maxBytes);

    /**
     * Stops and uninstalls the bundle and removes its jar from {@code HOME/deploy}.
     *
     * @return the bundle as it was
     * @throws transfuse.server.http.HttpProblem 404 for an unknown id, 403 for a bundle of the runtime itself
     */
    Map<String, Object> uninstall(long id);

    /** One line per current problem: bundles that failed to install, resolve or start, components that failed to activate, duplicate plugin names. */
    List<String> problems();
}
