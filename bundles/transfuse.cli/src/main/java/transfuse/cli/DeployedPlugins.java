package transfuse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * One-shot commands install the bundles a server would find in {@code HOME/deploy} (after the
 * built-in ones), so a plugin added to a server works from the command line too:
 * {@code transfuse solve my-solver ...}. A jar that cannot be installed or started is reported in
 * one warning line and skipped; the command still runs with everything else.
 */
final class DeployedPlugins {
    private DeployedPlugins() {
    }

    static void install(BundleContext context, Path deploy, PrintStream err) {
        if (!Files.isDirectory(deploy)) {
            return;
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(deploy)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p)).sorted().toList();
        } catch (IOException e) {
            err.println("warning: " + deploy + ": cannot list deployed plugins (" + e.getMessage() + ")");
            return;
        }
        FrameworkStartLevel framework = context.getBundle(0).adapt(FrameworkStartLevel.class);
        int level = framework.getStartLevel();
        Map<Bundle, Path> installed = new LinkedHashMap<>();
        for (Path jar : jars) {
            try {
                // The same location FileInstall gives it in a server, so neither installs it twice.
                Bundle b = context.installBundle(jar.toUri().toString());
                // The launcher gives a new bundle its default level (21, the server's) by a start-level
                // request; a command runs at 10. Both requests are carried out later, in order.
                b.adapt(BundleStartLevel.class).setStartLevel(level);
                installed.put(b, jar);
            } catch (BundleException | RuntimeException e) {
                err.println("warning: " + jar + ": plugin not loaded (" + oneLine(e.getMessage()) + ")");
            }
        }
        if (installed.isEmpty()) {
            return;
        }
        // Starting before the launcher's request is carried out would let it stop the bundle again
        // (level 21 above the command's 10), leaving the command without the plugin's services.
        StartLevelQueue.await(framework, level, 30);
        installed.forEach((b, jar) -> {
            try {
                b.start(Bundle.START_TRANSIENT);
            } catch (BundleException | RuntimeException e) {
                err.println("warning: " + jar + ": plugin not loaded (" + oneLine(e.getMessage()) + ")");
                try {
                    b.uninstall();
                } catch (BundleException | RuntimeException ignored) {
                    // already reported; the command runs without it
                }
            }
        });
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        String one = s.replace('\n', ' ');
        int cause = one.indexOf(" Unresolved requirements:");
        return cause > 0 ? one.substring(0, cause) : one;
    }
}
