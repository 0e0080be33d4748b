package transfuse.api.arch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Quality on one split.
 *
 * @param examples number of examples evaluated
 * @param accuracy fraction of examples whose arg-max logit is the label (masked language
 *                 modelling: fraction of masked tokens predicted exactly)
 * @param loss     mean cross-entropy (natural log; masked language modelling: per masked token)
 * @param seconds  wall time of the evaluation
 * @param metrics  further task-specific figures by name, e.g. {@code pseudo_perplexity} and
 *                 {@code masked_tokens} for masked language modelling; empty for classification
 */
public record Evaluation(long examples, double accuracy, double loss, double seconds, Map<String, Double> metrics) {
    public Evaluation {
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A classification result without further metrics. */
    public Evaluation(long examples, double accuracy, double loss, double seconds) {
        this(examples, accuracy, loss, seconds, Map.of());
    }
}
