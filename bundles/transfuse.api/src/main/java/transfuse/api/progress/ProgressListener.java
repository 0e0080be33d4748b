package transfuse.api.progress;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives progress of long work: CLI progress bars, server-sent events, logs. */
@ConsumerType
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (task, done, total, message) -> { };

    /**
     * @param task    what is running, e.g. {@code "sinkhorn"} or {@code "train epoch 2"}
     * @param done    units finished so far
     * @param total   units expected, or -1 when unknown
     * @param message free text (loss, throughput), may be empty
     */
    void progress(String task, long done, long total, String message);
}
