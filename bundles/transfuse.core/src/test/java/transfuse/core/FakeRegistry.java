package transfuse.core;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;

import transfuse.api.Plugin;

/**
 * A service registry just big enough for {@link PluginCatalog}: typed lookups with an optional
 * {@code (transfuse.name=X)} filter, rankings and ids ordered as the OSGi spec orders them, and
 * services that can fail to activate (getService answers null).
 */
final class FakeRegistry {
    private record Registration(Class<?> type, Map<String, Object> properties, Object service, Bundle bundle) {
    }

    private final List<Registration> registrations = new ArrayList<>();
    private long nextId = 1;

    /** Registers a plugin under its type with the name property; {@code service} null = activation fails. */
    FakeRegistry register(Class<? extends Plugin> type, String name, int ranking, Plugin service, String bundle) {
        registrations.add(new Registration(type, Map.of(Plugin.NAME_PROPERTY, name, Constants.SERVICE_ID, nextId++,
                Constants.SERVICE_RANKING, ranking), service, bundle(bundle)));
        return this;
    }

    BundleContext context() {
        return proxy(BundleContext.class, (method, args) -> switch (method) {
            case "getServiceReferences" -> references((Class<?>) args[0], (String) args[1]);
            case "getService" -> registration((ServiceReference<?>) args[0]).service();
            case "ungetService" -> true;
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private List<ServiceReference<?>> references(Class<?> type, String filter) {
        List<ServiceReference<?>> refs = new ArrayList<>();
        for (Registration r : registrations) {
            boolean named = filter == null || filter.equals("(" + Plugin.NAME_PROPERTY + "=" + r.properties().get(Plugin.NAME_PROPERTY) + ")");
            if (r.type().equals(type) && named) {
                refs.add(reference(r));
            }
        }
        return refs;
    }

    private Registration registration(ServiceReference<?> ref) {
        long id = (Long) ref.getProperty(Constants.SERVICE_ID);
        return registrations.stream().filter(r -> r.properties().get(Constants.SERVICE_ID).equals(id)).findFirst().orElseThrow();
    }

    private static ServiceReference<?> reference(Registration r) {
        return proxy(ServiceReference.class, (method, args) -> switch (method) {
            case "getProperty" -> r.properties().get((String) args[0]);
            case "getBundle" -> r.bundle();
            // ServiceReference.compareTo: higher ranking is greater, then lower id is greater.
            case "compareTo" -> {
                ServiceReference<?> other = (ServiceReference<?>) args[0];
                int byRanking = Integer.compare((Integer) r.properties().get(Constants.SERVICE_RANKING),
                        (Integer) other.getProperty(Constants.SERVICE_RANKING));
                yield byRanking != 0 ? byRanking : Long.compare((Long) other.getProperty(Constants.SERVICE_ID),
                        (Long) r.properties().get(Constants.SERVICE_ID));
            }
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private static Bundle bundle(String symbolicName) {
        return proxy(Bundle.class, (method, args) -> switch (method) {
            case "getSymbolicName" -> symbolicName;
            case "getVersion" -> Version.parseVersion("1.0.0");
            default -> throw new UnsupportedOperationException(method);
        });
    }

    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(FakeRegistry.class.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(self);
                    case "equals" -> self == args[0];
                    case "toString" -> type.getSimpleName() + "@" + System.identityHashCode(self);
                    default -> answer.answer(method.getName(), args);
                }));
    }
}
