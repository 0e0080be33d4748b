package transfuse.api.bench;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;

/**
 * A performance measurement a bundle offers, e.g. the training throughput of a reference model
 * through the architecture's ordinary training path. {@code transfuse bench NAME} runs it in
 * several fresh JVMs and prints each run and the median of {@link #primaryMetric()}.
 */
@ConsumerType
public interface Benchmark extends Plugin {
    /** The figure runs are compared by, e.g. {@code images_per_second}; a key of {@link #measure}'s result. */
    String primaryMetric();

    /**
     * Runs one measurement in this JVM.
     *
     * @param options benchmark-specific settings by name (e.g. {@code warmup}, {@code steps}); unknown
     *                names are a {@link transfuse.api.TransfuseException}
     * @return measured figures by name, including {@link #primaryMetric()}
     */
    Map<String, Double> measure(Map<String, String> options, ProgressListener progress);
}
