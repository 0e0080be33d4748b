package transfuse.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.annotation.bundle.Header;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.util.tracker.ServiceTracker;

/**
 * In the command-line distribution, turns a broken installation into one error line and exit
 * status 1. When a bundle the command line needs cannot resolve (a missing package, a wrong
 * version), Felix only logs it and the command bundle never starts, so the process would wait
 * forever; this check runs once the framework has started and reports every bundle that should
 * be active but is not, with the framework's reason. It runs when the launcher has published its
 * arguments and the start-level climb has ended, the moment {@code CliMain} would run a command.
 */
@Header(name = Constants.BUNDLE_ACTIVATOR, value = "${@class}")
public final class StartupCheck implements BundleActivator {
    /** The command-line bundle: without it no command can run. */
    static final String CLI_BUNDLE = "transfuse.cli";

    private BundleContext context;

    /** Service property the bnd launcher publishes its arguments under, once it has started the bundles. */
    private static final String LAUNCHER_ARGUMENTS = "launcher.arguments";

    private Thread check;

    @Override
    public void start(BundleContext context) {
        this.context = context;
        if (!Boolean.parseBoolean(context.getProperty("transfuse.cli"))) {
            return;
        }
        // Not on the activating thread: the framework is still starting bundles.
        check = new Thread(this::checkWhenLaunched, "transfuse-startup-check");
        check.setDaemon(true);
        check.start();
    }

    @Override
    public void stop(BundleContext context) {
        if (check != null) {
            check.interrupt();
        }
    }

    private void checkWhenLaunched() {
        try {
            ServiceTracker<Object, Object> launcher = new ServiceTracker<>(context,
                    context.createFilter("(" + LAUNCHER_ARGUMENTS + "=*)"), null);
            launcher.open();
            if (launcher.waitForService(TimeUnit.SECONDS.toMillis(120)) == null) {
                return;
            }
            launcher.close();
            awaitStartLevel();
            checkCli();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvalidSyntaxException | IllegalStateException e) {
            // the framework is stopping: nothing to check
        }
    }

    /** Start-level requests are processed in order, so one for the current target completes after the climb. */
    private void awaitStartLevel() throws InterruptedException {
        FrameworkStartLevel fsl = context.getBundle(0).adapt(FrameworkStartLevel.class);
        CountDownLatch done = new CountDownLatch(1);
        fsl.setStartLevel(fsl.getStartLevel(), event -> done.countDown());
        done.await(120, TimeUnit.SECONDS);
    }

    private void checkCli() {
        Bundle cli = null;
        for (Bundle b : context.getBundles()) {
            if (CLI_BUNDLE.equals(b.getSymbolicName())) {
                cli = b;
            }
        }
        if (cli != null && cli.getState() == Bundle.ACTIVE) {
            return;
        }
        List<String> problems = problems();
        System.err.println("error: the command line cannot start: " + (problems.isEmpty()
                ? "bundle " + CLI_BUNDLE + " is not active" : String.join("; ", problems)));
        System.err.flush();
        System.exit(1);
    }

    /** Why each bundle at or below the framework's start level is not active, one clause each. */
    private List<String> problems() {
        int level = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
        List<String> problems = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            boolean due = b.getBundleId() != 0 && bsl != null && bsl.getStartLevel() <= level
                    && b.getHeaders().get(Constants.FRAGMENT_HOST) == null;
            if (due && b.getState() != Bundle.ACTIVE) {
                try {
                    b.start(Bundle.START_TRANSIENT); // fails again, with the resolver's reason
                } catch (BundleException e) {
                    problems.add("bundle " + b.getSymbolicName() + ": " + firstLine(e.getMessage()));
                }
            }
        }
        return problems;
    }

    private static String firstLine(String s) {
        String one = s == null ? "" : s.replace('\n', ' ');
        int cause = one.indexOf(" Unresolved requirements:");
        return cause > 0 ? one.substring(0, cause) : one;
    }
}
