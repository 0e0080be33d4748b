package transfuse.nn;

/** Linear warmup to the peak rate, then cosine decay to zero at the last step. */
public record LearningRateSchedule(double peak, long warmupSteps, long totalSteps) {

    public static LearningRateSchedule of(double peak, double warmupFraction, long totalSteps) {
        return new LearningRateSchedule(peak, (long) Math.floor(warmupFraction * totalSteps), totalSteps);
    }

    /** The rate of 0-based step {@code step}. */
    public double at(long step) {
        if (step < warmupSteps) {
            return peak * (step + 1) / warmupSteps;
        }
        long decay = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decay);
        return peak * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
