package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.Tap;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * The activation evidence of every model against the anchor, from the same samples: per tap, the
 * correlation of standardised activations (anchor's neurons x the model's), streamed batch by
 * batch, and the anchor's mean magnitude per neuron (for the weighted residual policies).
 */
public final class ActivationEvidence {
    /** Samples per forward pass: bounds the activations held at once. */
    static final int BATCH = 50;

    private final List<Map<String, Dense>> correlations;
    private final Map<String, double[]> magnitudes;
    private final int samples;
    private final int firstSample;

    private ActivationEvidence(List<Map<String, Dense>> correlations, Map<String, double[]> magnitudes, int samples,
                               int firstSample) {
        this.correlations = correlations;
        this.magnitudes = magnitudes;
        this.samples = samples;
        this.firstSample = firstSample;
    }

    /**
     * @param models index 0 is the anchor
     * @param seed   0 takes the first samples; another seed a seeded window of them
     */
    public static ActivationEvidence collect(Architecture arch, List<ModelConfig> configs, List<ModelWeights> models,
                                             ModelGraph anchorGraph, Dataset data, int wanted, long seed,
                                             TokenWindow tokens, ProgressListener progress) {
        int n = Math.min(wanted, data.size());
        int start = firstSample(data.size(), n, seed);
        Set<String> taps = new LinkedHashSet<>();
        for (Tap t : anchorGraph.taps()) {
            taps.add(t.name());
        }
        List<Map<String, CorrelationSums>> sums = new ArrayList<>();
        for (int k = 0; k < models.size(); k++) {
            sums.add(new HashMap<>());
        }
        Map<String, MeanMagnitude> mags = new HashMap<>();
        for (int from = start; from < start + n; from += BATCH) {
            int to = Math.min(start + n, from + BATCH);
            ForwardResult anchor = forward(arch, configs.get(0), models.get(0), data, from, to, taps, tokens);
            for (String tap : taps) {
                Tensor a = anchor.taps().get(tap);
                int rows = (int) a.shape()[0];
                mags.computeIfAbsent(tap, t -> new MeanMagnitude((int) a.shape()[1])).add(a.toFloats(), rows);
            }
            for (int k = 1; k < models.size(); k++) {
                ForwardResult other = forward(arch, configs.get(k), models.get(k), data, from, to, taps, tokens);
                for (String tap : taps) {
                    Tensor a = anchor.taps().get(tap);
                    Tensor b = other.taps().get(tap);
                    int rows = (int) a.shape()[0];
                    sums.get(k).computeIfAbsent(tap, t -> new CorrelationSums((int) a.shape()[1], (int) b.shape()[1]))
                            .add(a.toFloats(), b.toFloats(), rows);
                }
            }
            progress.progress("activations", to - start, n, "");
        }
        List<Map<String, Dense>> corr = new ArrayList<>();
        for (Map<String, CorrelationSums> m : sums) {
            Map<String, Dense> c = new HashMap<>();
            m.forEach((tap, s) -> c.put(tap, s.correlation()));
            corr.add(c);
        }
        Map<String, double[]> magnitudes = new HashMap<>();
        mags.forEach((tap, m) -> magnitudes.put(tap, m.mean()));
        return new ActivationEvidence(corr, magnitudes, n, start);
    }

    /** The first of {@code n} consecutive samples: 0 for seed 0, otherwise a window the seed picks. */
    static int firstSample(int size, int n, long seed) {
        return seed == 0 || size == n ? 0 : new Random(seed).nextInt(size - n + 1);
    }

    private static ForwardResult forward(Architecture arch, ModelConfig config, ModelWeights w, Dataset data, int from,
                                         int to, Set<String> taps, TokenWindow tokens) {
        Map<String, Tensor> inputs = arch.inputs(config, data, from, to);
        return arch.forward(config, w.tensors(), new ForwardRequest(inputs, false, false, taps, tokens, BATCH));
    }

    /** Correlation of anchor x model {@code k} at a tap. */
    public Dense correlation(int k, String tap) {
        Dense d = correlations.get(k).get(tap);
        if (d == null) {
            throw new IllegalStateException("no activations recorded at tap " + tap);
        }
        return d;
    }

    /** The anchor's mean absolute activation per neuron at a tap. */
    public double[] magnitude(String tap) {
        return magnitudes.get(tap);
    }

    public int samples() {
        return samples;
    }

    public int firstSample() {
        return firstSample;
    }
}
