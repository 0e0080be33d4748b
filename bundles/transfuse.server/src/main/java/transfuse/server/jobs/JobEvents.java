package transfuse.server.jobs;

import java.util.Map;

/** Where a running job's progress and log lines go: the store (for replay) and waiting event streams. */
interface JobEvents {
    void progress(String jobId, Map<String, Object> progress);

    void log(String jobId, String line);
}
