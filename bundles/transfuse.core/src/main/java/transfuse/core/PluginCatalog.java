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

    /**
     * Every plugin, sorted by kind then name. A plugin whose {@code name()} or {@code description()}
     * throws, or whose component fails to activate, is still listed, with an {@code error}; plugins
     * of one kind sharing a name are all listed, flagged {@code duplicate}, the one {@link #open}
     * uses first.
     */
    public List<PluginInfo> list() {
        List<PluginInfo> all = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            for (ServiceReference<? extends Plugin> ref : references(kind.type(), null)) {
                PluginInfo info = describe(kind, ref);
                if (info != null) {
                    all.add(info);
                }
            }
        }
        return PluginListing.ordered(all);
    }

    /**
     * One line per name registered twice within a kind. Read from the service properties only, so
     * it activates no plugin (the server's health check calls it often).
     */
    public List<String> problems() {
        List<PluginInfo> registered = new ArrayList<>();
        for (PluginKind kind : PluginKind.values()) {
            for (ServiceReference<? extends Plugin> ref : references(kind.type(), null)) {
                Bundle b = ref.getBundle();
                Object name = ref.getProperty(Plugin.NAME_PROPERTY);
                if (b != null && name != null) {
                    registered.add(new PluginInfo(kind, name.toString(), null, b.getSymbolicName(), b.getVersion().toString()));
                }
            }
        }
        return PluginListing.duplicates(PluginListing.ordered(registered));
    }

    /** The listing entry of one service, or null when it went away meanwhile. */
    private PluginInfo describe(PluginKind kind, ServiceReference<? extends Plugin> ref) {
        Bundle b = ref.getBundle();
        if (b == null) {
            return null; // unregistered since the lookup
        }
        String bundle = b.getSymbolicName();
        String version = b.getVersion().toString();
        Object property = ref.getProperty(Plugin.NAME_PROPERTY);
        String registeredName = property == null ? "?" : property.toString();
        Plugin p;
        try {
            p = context.getService(ref);
        } catch (RuntimeException e) { // a service factory that throws
            return PluginInfo.broken(kind, registeredName, bundle, version, "cannot be obtained: " + oneLine(e));
        }
        if (p == null) {
            // Still registered but no object: its component failed to activate (SCR logs why).
            return ref.getBundle() == null ? null
                    : PluginInfo.broken(kind, registeredName, bundle, version, "its component failed to activate");
        }
        try {
            // The registered name is the one open() finds; name() only stands in when it is missing.
            String name = property == null ? p.name() : registeredName;
            return new PluginInfo(kind, name, p.description(), bundle, version);
        } catch (RuntimeException | LinkageError e) { // a plugin bug, or a class its bundle lost
            return PluginInfo.broken(kind, registeredName, bundle, version, oneLine(e));
        } finally {
            context.ungetService(ref);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s+", " ").strip();
        return e.getClass().getName() + message;
    }

    /**
     * A handle on the plugin of that kind and name; close it when done so the service can go. When
     * several plugins share the name, the choice is deterministic: highest service ranking, then the
     * oldest registration (lowest service id), as {@code BundleContext.getServiceReference} does; a
     * candidate whose component fails to activate is skipped.
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
