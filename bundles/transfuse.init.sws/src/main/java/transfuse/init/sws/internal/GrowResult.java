package transfuse.init.sws.internal;

import java.util.Map;

import transfuse.api.job.JobResult;

/** The grow job's result: the JSON of its contract and a line for a terminal. */
record GrowResult(Map<String, Object> json, String text) implements JobResult {
}
