package transfuse.api.align;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An aligner's options checked against the evidence it will be given, before any work.
 *
 * @param policy how the engine combines this aligner's maps across spaces
 * @param values the aligner's options with their defaults resolved, in declaration order; the
 *               engine records them in the fusion's metadata (values: String, Long, Double,
 *               Boolean)
 */
public record AlignerSettings(MapPolicy policy, Map<String, Object> values) {
    public AlignerSettings {
        if (policy == null) {
            throw new IllegalArgumentException("aligner settings need a map policy");
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
