package transfuse.api.arch;

/**
 * What one epoch did.
 *
 * @param epoch             1-based
 * @param steps             optimizer steps in the epoch
 * @param trainLoss         mean training loss over the epoch's steps
 * @param seconds           wall time of the epoch's steps (evaluation excluded)
 * @param examplesPerSecond training throughput
 * @param test              evaluation after the epoch, or null
 */
public record EpochReport(int epoch, int steps, double trainLoss, double seconds, double examplesPerSecond,
                          Evaluation test) {
}
