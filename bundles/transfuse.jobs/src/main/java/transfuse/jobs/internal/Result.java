package transfuse.jobs.internal;

import java.util.Map;

import transfuse.api.job.JobResult;

/** A job's result: the JSON object of its contract and the text a terminal shows. */
public record Result(Map<String, Object> json, String text) implements JobResult {
}
