package transfuse.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs, their states, progress, results and events, persisted so that they survive a crash
 * ({@code kill -9}) of the server: every method commits before it returns. Thread-safe.
 * Writes to an unknown job id throw {@link java.util.NoSuchElementException}.
 */
public interface JobStore extends AutoCloseable {
    /** A new queued job with a fresh id. */
    JobRecord create(String kind, Map<String, Object> spec);

    Optional<JobRecord> get(String id);

    /** Newest first; {@code state} null for all. */
    List<JobRecord> list(JobState state);

    /** Queued jobs, oldest first (the FIFO order in which they run). */
    List<JobRecord> queued();

    /** Sets the state; RUNNING sets {@code started}, a terminal state sets {@code finished} and the error. */
    JobRecord setState(String id, JobState state, String error);

    /** Records the job's latest progress (it is also appended as an event by the caller when wanted). */
    void setProgress(String id, Map<String, Object> progress);

    /** Records the result of a succeeded job. */
    void setResult(String id, Map<String, Object> result);

    /** Appends an event and returns it with its sequence number. */
    JobEvent appendEvent(String id, String type, Map<String, Object> data);

    /** The job's events with {@code seq > afterSeq}, in order. */
    List<JobEvent> events(String id, long afterSeq);

    /** Forgets a job and its events; an unknown id is ignored. */
    void delete(String id);

    /** Counts by state, for health: {@code {"queued": n, "running": m}} and the rest. */
    Map<JobState, Integer> counts();

    @Override
    void close();
}
