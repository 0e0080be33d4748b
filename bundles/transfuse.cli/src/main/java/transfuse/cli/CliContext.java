package transfuse.cli;

import java.io.OutputStream;
import java.io.PrintStream;

import org.osgi.framework.BundleContext;

import transfuse.core.PluginCatalog;

/** What a command works with: output streams, the plugin catalog and the framework. */
record CliContext(PrintStream stdout, PrintStream err, boolean json, PluginCatalog catalog, BundleContext bundleContext) {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    /** Where human-readable results go: stdout, or nowhere under --json (stdout then holds only JSON). */
    public PrintStream out() {
        return json ? DISCARD : stdout;
    }
}
