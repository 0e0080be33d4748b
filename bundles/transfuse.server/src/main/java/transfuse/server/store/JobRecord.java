package transfuse.server.store;

import java.time.Instant;
import java.util.Map;

/**
 * One job as the store keeps it and the API shows it.
 *
 * @param id       short unique id, e.g. {@code j-000042} (sortable: newer ids sort later)
 * @param kind     the job kind ({@code fuse}, {@code train}, ...)
 * @param spec     the spec keys as submitted (JSON values)
 * @param state    queued, running, succeeded, failed or cancelled
 * @param progress the latest progress: task, done, total, fraction, eta_s (empty before any)
 * @param created  when it was submitted
 * @param started  when it last started running, or null
 * @param finished when it reached a terminal state, or null
 * @param error    the one-line reason of a failure, or null
 * @param result   the job's JSON result (what the CLI prints with --json), or null
 */
public record JobRecord(String id, String kind, Map<String, Object> spec, JobState state, Map<String, Object> progress,
                        Instant created, Instant started, Instant finished, String error, Map<String, Object> result) {
}
