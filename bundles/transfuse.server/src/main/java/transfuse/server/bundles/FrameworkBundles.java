package transfuse.server.bundles;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

import transfuse.core.PluginCatalog;
import transfuse.server.ServerHome;
import transfuse.server.http.HttpProblem;

/**
 * The framework's bundles for {@code /api/bundles} and the problems of {@code /api/health}.
 * Uploads and removals go through FileInstall ({@link FileInstallHandoff}); bundles whose location is not in
 * {@code HOME/deploy} are the runtime's own and cannot be removed. A monitor thread logs each new
 * problem to {@code server.log} once and asks the framework why deployed bundles did not start.
 */
// Immediate: the framework listener must record failures from server start, not from first use.
@Component(service = BundleRegistry.class, immediate = true)
public final class FrameworkBundles implements BundleRegistry {
    private static final long MONITOR_PERIOD_MILLIS = 2000;

    private final BundleContext context;
    private final ServerHome home;
    private final PluginCatalog catalog;
    private final DeployFolder deploy;
    private final BundleFailures failures;
    private final ComponentFailures components;
    private final StrayJars strays;
    private final StuckBundles stuck;
    private final FileInstallHandoff handoff;
    private final ScheduledExecutorService monitor;
    /** Lines the monitor logged in its last round; only its thread touches it. */
    private final Set<String> logged = new HashSet<>();

    @Activate
    public FrameworkBundles(BundleContext context, @Reference ServerHome home, @Reference PluginCatalog catalog,
                            @Reference ServiceComponentRuntime scr) {
        this.context = context;
        this.home = home;
        this.catalog = catalog;
        this.deploy = new DeployFolder(home.home().resolve("deploy"));
        long poll = pollMillis(context);
        long grace = 3 * poll + 1000; // FileInstall's turn: a jar is reported after two equal polls
        this.failures = new BundleFailures(home);
        this.components = new ComponentFailures(scr);
        this.strays = new StrayJars(context, deploy, grace);
        this.stuck = new StuckBundles(context, deploy, failures, grace);
        this.handoff = new FileInstallHandoff(context, deploy, new Uploads(home.home().resolve("uploads")), failures, home, poll);
        context.addFrameworkListener(failures);
        context.addBundleListener(failures);
        monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "transfuse-bundle-monitor");
            t.setDaemon(true);
            return t;
        });
        monitor.scheduleWithFixedDelay(this::check, MONITOR_PERIOD_MILLIS, MONITOR_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        monitor.shutdownNow();
        context.removeFrameworkListener(failures);
        context.removeBundleListener(failures);
    }

    @Override
    public List<Map<String, Object>> list() {
        Map<Long, List<String>> componentLines = components.byBundle(this::isDeployed);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Bundle b : bundles()) {
            out.add(BundleJson.of(b, errorOf(b, componentLines)));
        }
        return out;
    }

    @Override
    public synchronized Map<String, Object> install(InputStream jar, long maxBytes) {
        Bundle b = handoff.install(jar, maxBytes);
        return BundleJson.of(b, errorOf(b, components.byBundle(this::isDeployed)));
    }

    @Override
    public synchronized Map<String, Object> uninstall(long id) {
        Bundle b = context.getBundle(id);
        if (b == null) {
            throw new HttpProblem(404, "no bundle with id " + id);
        }
        Path jar = deploy.jarOf(b);
        if (jar == null) {
            throw new HttpProblem(403, "bundle " + BundleJson.label(b) + " is part of the server runtime;"
                    + " only bundles deployed in " + deploy.dir() + " can be removed");
        }
        Map<String, Object> before = BundleJson.of(b, failures.of(id));
        handoff.remove(b, jar);
        home.log("bundle " + BundleJson.label(b) + " removed over the API (deleted " + jar + ")");
        return before;
    }

    @Override
    public List<String> problems() {
        List<Bundle> bundles = bundles();
        List<String> lines = new ArrayList<>();
        Map<Long, String> failed = failures.all();
        for (Bundle b : bundles) {
            String failure = failed.get(b.getBundleId());
            if (failure != null) {
                lines.add("bundle " + BundleJson.label(b) + ": " + failure);
            }
        }
        lines.addAll(observedProblems(bundles));
        return lines;
    }

    /** Problems read from SCR, the deploy folder and the catalog (bundle failures are recorded as they happen). */
    private List<String> observedProblems(List<Bundle> bundles) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Long, List<String>> e : components.byBundle(this::isDeployed).entrySet()) {
            Bundle b = context.getBundle(e.getKey());
            String label = b == null ? "bundle [" + e.getKey() + "]" : "bundle " + BundleJson.label(b);
            e.getValue().forEach(line -> lines.add(label + ": " + line));
        }
        lines.addAll(strays.lines(bundles));
        lines.addAll(catalog.problems());
        return lines;
    }

    /** The monitor's round: why deployed bundles did not start, their plugins touched, new problems logged. */
    private void check() {
        try {
            List<Bundle> bundles = bundles();
            stuck.diagnose(bundles); // records and logs failures itself
            for (Bundle b : bundles) {
                if (b.getState() == Bundle.ACTIVE && deploy.jarOf(b) != null) {
                    stuck.touchOnce(b);
                }
            }
            logNew(observedProblems(bundles));
        } catch (RuntimeException e) {
            home.log("bundle monitor: " + Reasons.of(e));
        }
    }

    /** Logs each line the first time it appears; one that goes and comes back is logged again. */
    private void logNew(List<String> current) {
        for (String line : current) {
            if (!logged.contains(line)) {
                home.log("problem: " + line);
            }
        }
        logged.clear();
        logged.addAll(current);
    }

    private String errorOf(Bundle b, Map<Long, List<String>> componentLines) {
        List<String> parts = new ArrayList<>();
        String failure = failures.of(b.getBundleId());
        if (failure != null) {
            parts.add(failure);
        }
        parts.addAll(componentLines.getOrDefault(b.getBundleId(), List.of()));
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private boolean isDeployed(long bundleId) {
        Bundle b = context.getBundle(bundleId);
        return b != null && deploy.jarOf(b) != null;
    }

    private List<Bundle> bundles() {
        List<Bundle> all = new ArrayList<>(List.of(context.getBundles()));
        all.sort(Comparator.comparingLong(Bundle::getBundleId));
        return all;
    }

    private static long pollMillis(BundleContext context) {
        try {
            String poll = context.getProperty("felix.fileinstall.poll");
            return poll == null ? 2000 : Long.parseLong(poll.strip()); // FileInstall's own default
        } catch (NumberFormatException e) {
            return 2000;
        }
    }
}
