package transfuse.arch.vit.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.bench.Benchmark;
import transfuse.api.progress.ProgressListener;
import transfuse.djl.DjlRuntime;

/**
 * {@code transfuse bench vit-train}: training throughput of the reference ViT (docs/vit.md) through
 * the ordinary training path, so it can be compared with PyTorch's figures side by side.
 */
@Component(service = Benchmark.class, property = Plugin.NAME_PROPERTY + "=vit-train")
public final class VitTrainBenchmark implements Benchmark {
    private static final Set<String> OPTIONS = Set.of("warmup", "steps");

    private final DjlRuntime djl;

    @Activate
    public VitTrainBenchmark(@Reference DjlRuntime djl) {
        this.djl = djl;
    }

    @Override
    public String name() {
        return "vit-train";
    }

    @Override
    public String description() {
        return "training images/s of the reference ViT (d 64, 4 heads, 2 layers, MLP 128, patch 7, batch 128, AdamW)";
    }

    @Override
    public String primaryMetric() {
        return "images_per_second";
    }

    @Override
    public Map<String, Double> measure(Map<String, String> options, ProgressListener progress) {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new TransfuseException("vit-train: unknown option '" + key + "' (known: warmup, steps)");
            }
        }
        int warmup = positive(options, "warmup", 5);
        int steps = positive(options, "steps", 50);
        TrainThroughput.Result run = TrainThroughput.measure(djl, warmup, steps);
        Map<String, Double> result = new HashMap<>();
        result.put("images_per_second", run.imagesPerSecond());
        result.put("intra_op_threads", (double) run.intraOpThreads());
        result.put("warmup_steps", (double) warmup);
        result.put("timed_steps", (double) steps);
        return result;
    }

    private static int positive(Map<String, String> options, String key, int fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TransfuseException("vit-train: option '" + key + "' must be a positive integer, got '" + v + "'");
    }
}
