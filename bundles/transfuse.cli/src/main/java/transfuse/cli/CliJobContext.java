package transfuse.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import org.osgi.framework.BundleContext;

import transfuse.api.progress.ProgressListener;
import transfuse.core.PluginCatalog;
import transfuse.io.files.TransfuseHome;
import transfuse.jobs.RegistryJobContext;

/**
 * A job run from the command line: progress and log lines on stderr, paths as the user gave
 * them (relative to the working directory), outputs where the flags say.
 */
final class CliJobContext extends RegistryJobContext {
    private final PrintStream err;

    CliJobContext(PluginCatalog catalog, BundleContext bundles, PrintStream err) {
        super(catalog, bundles, TransfuseHome.get());
        this.err = err;
    }

    @Override
    protected ProgressListener show(String label) {
        return new ProgressPrinter(err, label);
    }

    @Override
    public void log(String line) {
        err.println(line);
    }

    @Override
    public Path input(String key, String path) {
        return Path.of(path);
    }

    @Override
    public Path output(String key, String given, String name) {
        return given == null ? null : Path.of(given);
    }
}
