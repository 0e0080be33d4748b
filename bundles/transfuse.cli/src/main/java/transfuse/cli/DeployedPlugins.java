package transfuse.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        int level = context.getBundle(0).adapt(FrameworkStartLevel.class).getStartLevel();
        for (Path jar : jars) {
            Bundle b = null;
            try {
                // The same location FileInstall gives it in a server, so neither installs it twice.
                b = context.installBundle(jar.toUri().toString());
                // New bundles get the launcher's default level (21, the server's); a command runs at 10.
                b.adapt(BundleStartLevel.class).setStartLevel(level);
                b.start(Bundle.START_TRANSIENT);
            } catch (BundleException | RuntimeException e) {
                err.println("warning: " + jar + ": plugin not loaded (" + oneLine(e.getMessage()) + ")");
                if (b != null) {
                    try {
                        b.uninstall();
                    } catch (BundleException | RuntimeException ignored) {
                        // already reported; the command runs without it
                    }
                }
            }
        }
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
