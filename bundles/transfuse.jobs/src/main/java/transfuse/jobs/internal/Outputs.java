package transfuse.jobs.internal;

import java.nio.file.Path;

import transfuse.api.TransfuseException;
import transfuse.api.job.JobContext;
import transfuse.api.option.OptionValues;

/** Where a spec's outputs go, resolved and checked before any work. */
public final class Outputs {
    private Outputs() {
    }

    /**
     * The output under {@code key}: the given path on the command line, the job's own place on a
     * server.
     *
     * @throws TransfuseException naming the key when the front end has no place for it
     */
    public static Path required(OptionValues values, JobContext context, String key, String name) {
        Path p = context.output(key, values.text(key), name);
        if (p == null) {
            throw new TransfuseException(values.key(key) + ": required");
        }
        return p;
    }

    /** The output under {@code key}, or null when it is optional and not asked for. */
    public static Path optional(OptionValues values, JobContext context, String key, String name) {
        return context.output(key, values.text(key), name);
    }

    /** An input under {@code key}, or null when absent. */
    public static Path input(OptionValues values, JobContext context, String key) {
        String given = values.text(key);
        return given == null ? null : context.input(key, given);
    }

    /** @throws TransfuseException naming the key when the input is absent */
    public static Path requiredInput(OptionValues values, JobContext context, String key) {
        return context.input(key, values.require(key));
    }
}
