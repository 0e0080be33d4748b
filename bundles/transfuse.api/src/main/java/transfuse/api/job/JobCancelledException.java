package transfuse.api.job;

/** Thrown out of a job's work when its cancellation was requested; the job leaves no output. */
public class JobCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobCancelledException(String message) {
        super(message);
    }
}
