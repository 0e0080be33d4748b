package transfuse.cli;

import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.startlevel.FrameworkStartLevel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.core.PluginCatalog;
import transfuse.io.files.TransfuseHome;

/**
 * Runs one command with the arguments the bnd launcher was started with, then exits the JVM
 * with its status. Active only in the command-line distribution (framework property
 * {@code transfuse.cli=true}); inside tests or an embedding application it stays idle.
 */
@Component(immediate = true)
public final class CliMain {
    /** The bnd launcher registers its arguments as this property of an Object service. */
    static final String LAUNCHER_ARGUMENTS = "launcher.arguments";
    /** The start level the distribution runs commands at (see transfuse.bndrun). */
    static final String CLI_START_LEVEL = "transfuse.cli.startlevel";

    @Activate
    public CliMain(BundleContext context, @Reference PluginCatalog catalog,
                   @Reference(service = Object.class, target = "(" + LAUNCHER_ARGUMENTS + "=*)") Map<String, Object> launcher) {
        if (!Boolean.parseBoolean(context.getProperty("transfuse.cli"))) {
            return;
        }
        List<String> argv = List.of((String[]) launcher.get(LAUNCHER_ARGUMENTS));
        // Not on the activating thread: SCR must finish activating the rest of the framework.
        Thread t = new Thread(() -> {
            awaitStartLevel(context);
            if (!argv.isEmpty() && !argv.get(0).equals("serve")) {
                // serve leaves HOME/deploy to FileInstall, which also follows later changes
                DeployedPlugins.install(context, TransfuseHome.get().resolve("deploy"), System.err);
            }
            CommandLine cli = new CommandLine(Commands.all(catalog), catalog, context, System.out, System.err);
            int status = cli.run(argv);
            System.out.flush();
            System.err.flush();
            System.exit(status);
        }, "transfuse-cli");
        t.start();
    }

    /**
     * The launcher publishes its arguments while the framework may still be climbing to its start
     * level; a command that exits earlier would tear the framework down mid-start.
     */
    private static void awaitStartLevel(BundleContext context) {
        int target = Integer.parseInt(context.getProperty(CLI_START_LEVEL));
        StartLevelQueue.await(context.getBundle(0).adapt(FrameworkStartLevel.class), target, 120);
    }
}
