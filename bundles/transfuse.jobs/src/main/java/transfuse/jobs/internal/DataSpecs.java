package transfuse.jobs.internal;

/**
 * The {@code NAME[:N]} form of data-set specs, where a job needs the whole split beside a prefix
 * (training on the first N examples, testing on the whole test split).
 */
public final class DataSpecs {
    private DataSpecs() {
    }

    /** The spec without its {@code :N} suffix. */
    public static String whole(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon < 0) {
            return spec;
        }
        String tail = spec.substring(colon + 1);
        return !tail.isEmpty() && tail.chars().allMatch(Character::isDigit) ? spec.substring(0, colon) : spec;
    }
}
