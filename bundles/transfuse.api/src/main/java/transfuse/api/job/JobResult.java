package transfuse.api.job;

import java.util.Map;

/**
 * What a job produced: the object the command line prints as its {@code --json} last line and the
 * server stores as the job's {@code result}, and the human-readable text a terminal shows.
 */
public interface JobResult {
    /** The result as JSON-ready values (maps, lists, strings, numbers, booleans, null), keys in print order. */
    Map<String, Object> json();

    /** Lines for a person: tables and a summary, ending with a newline; may be empty. */
    String text();
}
