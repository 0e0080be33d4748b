package transfuse.data;

import java.nio.file.Files;
import java.nio.file.Path;

import transfuse.api.TransfuseException;

/**
 * A parsed data set spec: {@code NAME}, {@code NAME:N}, {@code PATH} or {@code PATH:N}.
 *
 * @param original as given
 * @param name     the contract name, or null for a path
 * @param path     the path, or null for a name
 * @param limit    N, or -1 for all
 */
record DatasetSpec(String original, String name, Path path, int limit) {
    static final java.util.Set<String> CONTRACT_NAMES = java.util.Set.of("fashion-mnist", "digits", "sentiment", "kjv");

    static DatasetSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new TransfuseException("empty data set name");
        }
        String base = spec;
        int limit = -1;
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && spec.substring(colon + 1).matches("-?\\d+")) {
            base = spec.substring(0, colon);
            try {
                limit = Integer.parseInt(spec.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TransfuseException(spec + ": example count too large");
            }
            if (limit <= 0) {
                throw new TransfuseException(spec + ": the example count must be positive, got " + limit);
            }
        }
        // A contract name wins over a same-named file in the working directory.
        boolean isPath = base.contains("/") || base.contains("\\")
                || (!CONTRACT_NAMES.contains(base) && Files.exists(Path.of(base)));
        return isPath ? new DatasetSpec(spec, null, Path.of(base).toAbsolutePath().normalize(), limit)
                : new DatasetSpec(spec, base, null, limit);
    }

    /** Identifies the full data (without the limit) for caching. */
    String key() {
        return path != null ? "path:" + path : name;
    }
}
