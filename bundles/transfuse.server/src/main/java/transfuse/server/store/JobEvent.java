package transfuse.server.store;

import java.time.Instant;
import java.util.Map;

/**
 * One event a job emitted, replayed to every event-stream client that connects later.
 *
 * @param seq  1, 2, 3, ... per job, in emission order
 * @param type {@code progress}, {@code log} or {@code state}
 * @param data the event's JSON object
 */
public record JobEvent(long seq, String type, Map<String, Object> data, Instant time) {
}
