package transfuse.init.sws.internal;

import java.util.Map;

import transfuse.api.job.JobResult;

/** The learngene job's result: the JSON of its contract and a line for a terminal. */
record LearngeneResult(Map<String, Object> json, String text) implements JobResult {
}
