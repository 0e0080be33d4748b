package transfuse.api.job;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;

/**
 * One kind of work, registered as a service under its kind ({@link #name()}: {@code fuse},
 * {@code train}, ...). Front ends never name a kind in code: the command line offers every
 * registered job as a command, the server accepts it in {@code POST /api/jobs}.
 *
 * <p>A request is validated in full by {@link #spec} before any work, so bad input is reported
 * in one line naming the key; {@link #run} then does the work through a {@link JobContext}.
 *
 * @param <S> the typed spec of this kind
 */
@ConsumerType
public interface Job<S> extends Plugin {
    /** The usage line(s) for help texts, e.g. {@code transfuse fuse --models A B ... --out DIR}. */
    String usage();

    /** Every key a spec of this kind accepts. */
    List<OptionDecl> options();

    /**
     * The key a command-line positional argument fills ({@code solver} for {@code solve SOLVER}),
     * or null when the kind takes none.
     */
    default String positional() {
        return null;
    }

    /**
     * Whether the job trains a network: such jobs run one at a time in a process (libtorch allows
     * one gradient context), and a server resumes them from their checkpoint after a restart.
     */
    default boolean trains() {
        return false;
    }

    /**
     * Validates the values and builds the typed spec. Reads files only as far as validation needs
     * (a config's fields, that an input exists, that an output can be written); does no work.
     *
     * @throws transfuse.api.TransfuseException one line naming the key or file
     */
    S spec(OptionValues values, JobContext context);

    /**
     * Does the work. Checks {@link JobContext#checkCancelled()} (or reports progress through
     * {@link JobContext#progress}, which checks it) between batches, spaces and epochs; a
     * cancelled or failed job leaves no output behind.
     *
     * @throws transfuse.api.TransfuseException for bad input found during the work
     * @throws JobCancelledException when cancelled
     */
    JobResult run(S spec, JobContext context) throws Exception;
}
