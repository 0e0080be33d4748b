package transfuse.server;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;

/** Logs every plugin service that appears or goes (hot deployment leaves a trail in server.log). */
// No service: it only listens. Components without a service are activated at once.
@Component(service = {})
public final class PluginWatcher implements ServiceListener {
    private final BundleContext context;
    private final ServerHome home;

    @Activate
    public PluginWatcher(BundleContext context, @Reference ServerHome home) throws Exception {
        this.context = context;
        this.home = home;
        context.addServiceListener(this, "(" + Plugin.NAME_PROPERTY + "=*)");
        home.log("server started; watching " + home.home().resolve("deploy"));
    }

    @Deactivate
    void deactivate() {
        context.removeServiceListener(this);
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        String what = switch (event.getType()) {
            case ServiceEvent.REGISTERED -> "registered";
            case ServiceEvent.UNREGISTERING -> "unregistering";
            default -> null;
        };
        if (what != null) {
            var ref = event.getServiceReference();
            home.log("plugin " + what + ": " + ref.getProperty(Plugin.NAME_PROPERTY) + " from "
                    + (ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName()));
        }
    }
}
