package transfuse.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;

/**
 * The live view of plugin services. It asks the service registry on every call rather than
 * caching, so bundles deployed or removed at run time are seen at once.
 */
@Component(service = PluginCatalog.class)
public final class PluginCatalog {
    private final BundleContext context;

    @Activate
    public PluginCatalog(BundleContext context) {
        this.context = context;
    }

    /** Every plugin, sorted by kind then name. */
    public List<PluginInfo> list() {
        List<PluginInfo> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            for (ServiceReference<? extends Plugin> ref : references(kind.type(), null)) {
                Plugin p = context.getService(ref);
                if (p == null) {
                    continue; // unregistered between lookup and get: it is gone
                }
                try {
                    Bundle b = ref.getBundle();
                    all.add(new PluginInfo(kind, p.name(), p.description(),
                            b == null ? "?" : b.getSymbolicName(), b == null ? "?" : b.getVersion().toString()));
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        all.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name));
        return all;
    }

    /**
     * A handle on the plugin of that kind and name; close it when done so the service can go.
     *
     * @throws TransfuseException naming the available plugins when none has that name
     */
    public <T extends Plugin> PluginHandle<T> open(Class<T> type, String name) {
        String filter = "(" + Plugin.NAME_PROPERTY + "=" + escape(name) + ")";
        for (ServiceReference<T> ref : references(type, filter)) {
            T service = context.getService(ref);
            if (service != null) {
                return new PluginHandle<>(context, ref, service);
            }
        }
        throw new TransfuseException("unknown " + labelOf(type) + " '" + name + "' (available: "
                + String.join(", ", names(type)) + ")");
    }

    /** Names of the registered plugins of one type, sorted. */
    public List<String> names(Class<? extends Plugin> type) {
        return references(type, null).stream()
                .map(r -> String.valueOf(r.getProperty(Plugin.NAME_PROPERTY)))
                .sorted().distinct().collect(Collectors.toList());
    }

    private <T> Collection<ServiceReference<T>> references(Class<T> type, String filter) {
        try {
            List<ServiceReference<T>> refs = new ArrayList<>(context.getServiceReferences(type, filter));
            // Highest ranking first, then oldest: the registry's own order for getServiceReference.
            refs.sort(Comparator.reverseOrder());
            return refs;
        } catch (InvalidSyntaxException e) {
            throw new TransfuseException("bad plugin name '" + filter + "'");
        }
    }

    private static String labelOf(Class<?> type) {
        for (PluginKind k : PluginKind.values()) {
            if (k.type().equals(type)) {
                return k.label();
            }
        }
        return type.getSimpleName();
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("(", "\\(").replace(")", "\\)");
    }
}
