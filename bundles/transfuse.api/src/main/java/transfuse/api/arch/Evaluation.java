package transfuse.api.arch;

/**
 * Classification quality on one split.
 *
 * @param examples number of examples evaluated
 * @param accuracy fraction of examples whose arg-max logit is the label
 * @param loss     mean cross-entropy (natural log)
 * @param seconds  wall time of the evaluation
 */
public record Evaluation(long examples, double accuracy, double loss, double seconds) {
}
