package transfuse.server.bundles;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.Bundle;

/** A bundle as {@code GET /api/bundles} shows it. */
final class BundleJson {
    private BundleJson() {
    }

    static Map<String, Object> of(Bundle b, String error) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.getBundleId());
        m.put("symbolic_name", b.getSymbolicName());
        m.put("version", b.getVersion().toString());
        m.put("state", state(b.getState()));
        m.put("location", b.getLocation());
        if (error != null) {
            m.put("error", error);
        }
        return m;
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.ACTIVE -> "active";
            case Bundle.STOPPING -> "stopping";
            default -> "uninstalled";
        };
    }

    /** {@code name version [id]}, how log lines and problems name a bundle. */
    static String label(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " [" + b.getBundleId() + "]";
    }
}
