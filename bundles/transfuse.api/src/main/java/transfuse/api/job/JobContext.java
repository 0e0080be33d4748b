package transfuse.api.job;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

import transfuse.api.Plugin;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.progress.ProgressListener;

/**
 * What a running job works with, given by its front end: progress and log lines, cooperative
 * cancellation, plugins and data sets by name, and the files of the spec. The command line
 * resolves paths as given; a server confines inputs to its roots and chooses outputs itself.
 */
@ProviderType
public interface JobContext {
    /**
     * A listener for one phase of the work ({@code label} prefixes it in logs). Every call also
     * checks cancellation, so work that reports progress between batches, spaces and epochs is
     * cancellable without further code.
     */
    ProgressListener progress(String label);

    /** One line for the job's log (a terminal's stderr, a server's per-job log and event stream). */
    void log(String line);

    /** @throws JobCancelledException when cancellation was requested */
    void checkCancelled();

    /**
     * The plugin of that type and name, held for the rest of the job (a bundle being removed
     * fails the job rather than pulling a service from under it).
     *
     * @throws transfuse.api.TransfuseException naming the available ones when there is none
     */
    <T extends Plugin> T plugin(Class<T> type, String name);

    /**
     * A data set split by spec ({@code NAME[:N]} or a path).
     *
     * @throws transfuse.api.TransfuseException for an unknown or unreadable data set, or a path
     *         outside what this front end allows
     */
    Dataset dataset(String spec, Split split);

    /**
     * A file or directory the spec names for reading, under {@code key}.
     *
     * @throws transfuse.api.TransfuseException when the front end does not allow that path
     */
    Path input(String key, String path);

    /**
     * Where the output the spec names under {@code key} goes: the path given on the command
     * line, the job's own directory on a server ({@code given} may then be null).
     *
     * @param name a file name for the output when the front end chooses the place (e.g. {@code curve.json})
     */
    Path output(String key, String given, String name);

    /** Transfuse's home directory (caches, the server's store), e.g. {@code ~/.transfuse}. */
    Path home();
}
