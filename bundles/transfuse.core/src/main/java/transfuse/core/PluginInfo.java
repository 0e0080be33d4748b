package transfuse.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** One registered plugin service as {@code transfuse plugins} and {@code GET /api/plugins} show it. */
public record PluginInfo(PluginKind kind, String name, String description, String bundle, String version) {
    /** The JSON object shape shared by the CLI and the server. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("name", name);
        m.put("description", description);
        m.put("bundle", bundle);
        m.put("version", version);
        return m;
    }
}
