package transfuse.jobs.internal;

import java.util.function.Consumer;

import transfuse.api.job.JobContext;
import transfuse.api.progress.ProgressListener;

/**
 * How a job shows a training run: the per-step reports as a progress bar (front ends rate-limit
 * them), the trainer's one line per epoch as a log line that is never rate-limited away.
 */
public final class TrainingProgress {
    private TrainingProgress() {
    }

    /**
     * @param label     names the bar, e.g. {@code train vit}
     * @param epochLine where each epoch's summary goes (the job's log, or a phase-stamped line)
     */
    public static ProgressListener of(JobContext context, String label, Consumer<String> epochLine) {
        ProgressListener bar = context.progress(label);
        return (task, done, total, message) -> {
            if (task.equals("epoch")) {
                context.checkCancelled();
                epochLine.accept(message);
            } else {
                bar.progress(task, done, total, message);
            }
        };
    }
}
