package transfuse.jobs;

import java.util.Map;

import transfuse.api.job.Job;
import transfuse.api.job.JobContext;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionValues;

/**
 * The one path from a raw key/value map (command-line flags, a spec file, an HTTP body) to a
 * validated spec and a run, whatever the job kind.
 */
public final class JobRunner {
    private JobRunner() {
    }

    /**
     * Checks the keys against the job's declarations and builds its typed spec, without running.
     *
     * @param keyFormat how messages name a key: {@code "option --%s"}, {@code "spec key '%s'"}
     * @throws transfuse.api.TransfuseException one line naming the key or file
     */
    public static Object validate(Job<?> job, Map<String, ?> raw, String keyFormat, JobContext context) {
        return job.spec(OptionValues.of(raw, job.options(), keyFormat), context);
    }

    /** Validates, then runs. */
    public static JobResult run(Job<?> job, Map<String, ?> raw, String keyFormat, JobContext context) throws Exception {
        return runTyped(job, OptionValues.of(raw, job.options(), keyFormat), context);
    }

    private static <S> JobResult runTyped(Job<S> job, OptionValues values, JobContext context) throws Exception {
        S spec = job.spec(values, context);
        context.checkCancelled();
        return job.run(spec, context);
    }
}
