package transfuse.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registered plugin service as {@code transfuse plugins} and {@code GET /api/plugins} show it.
 *
 * @param error     why the plugin could not describe itself (its {@code name()} or {@code description()}
 *                  threw, or its component failed to activate), null when it works
 * @param duplicate another plugin of the same kind has the same name ({@link PluginCatalog#open} picks one)
 */
public record PluginInfo(PluginKind kind, String name, String description, String bundle, String version,
                         String error, boolean duplicate) {
    /** A working plugin. */
    public PluginInfo(PluginKind kind, String name, String description, String bundle, String version) {
        this(kind, name, description, bundle, version, null, false);
    }

    /** A plugin that is registered but cannot describe itself; its description says so for text listings. */
    static PluginInfo broken(PluginKind kind, String name, String bundle, String version, String error) {
        return new PluginInfo(kind, name, "unavailable: " + error, bundle, version, error, false);
    }

    PluginInfo asDuplicate() {
        return new PluginInfo(kind, name, description, bundle, version, error, true);
    }

    /** The JSON object shape shared by the CLI and the server; {@code error} and {@code duplicate} only when set. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind.label());
        m.put("name", name);
        m.put("description", description);
        m.put("bundle", bundle);
        m.put("version", version);
        if (error != null) {
            m.put("error", error);
        }
        if (duplicate) {
            m.put("duplicate", true);
        }
        return m;
    }
}
