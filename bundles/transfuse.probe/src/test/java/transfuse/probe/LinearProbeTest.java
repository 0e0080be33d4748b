package transfuse.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.Evaluation;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.HeadGroup;
import transfuse.api.arch.TrainOptions;
import transfuse.api.arch.TrainRequest;
import transfuse.api.arch.TrainResult;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

class LinearProbeTest {
    private static final ModelConfig CONFIG = new ModelConfig(Map.of("model_type", "fake"), "fake");

    /** Unlabelled text (kjv) has nothing to probe: one line naming the data set, before any forward pass. */
    @Test
    void unlabelledDataIsRefusedInOneLine() {
        Dataset kjv = new Texts("kjv", Split.TRAIN, List.of(), new int[3]);
        TransfuseException e = assertThrows(TransfuseException.class, () -> LinearProbe.run(null, CONFIG, Map.of(),
                kjv, kjv, Pooling.MEAN, 1e-3, ProgressListener.NONE));
        assertTrue(e.getMessage().startsWith("kjv is unlabelled"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void trainingExamplesOfOneClassAreRefused() {
        Dataset one = new Texts("sentiment", Split.TRAIN, List.of("negative", "positive"), new int[4]);
        TransfuseException e = assertThrows(TransfuseException.class, () -> LinearProbe.run(null, CONFIG, Map.of(),
                one, one, Pooling.MEAN, 1e-3, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
    }

    /**
     * Examples of different lengths over several forward chunks: padded positions carry 1e6 and
     * must not reach the mean, so each pooled vector is exactly the mean over the example's real
     * tokens; CLS pooling reads position 0. The probe then separates the two classes perfectly.
     */
    @Test
    void meanPoolingSkipsPaddingAcrossChunksAndTheProbeSeparatesTheClasses() {
        int n = 2 * LinearProbe.CHUNK + 7;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        Dataset train = new Texts("sentiment", Split.TRAIN, List.of("negative", "positive"), labels);
        Dataset test = new Texts("sentiment", Split.TEST, List.of("negative", "positive"), labels);
        FakeEncoder arch = new FakeEncoder();
        float[] pooled = LinearProbe.embed(arch, CONFIG, Map.of(), train, Pooling.MEAN, ProgressListener.NONE).values();
        float[] expected = new float[n * FakeEncoder.DIM];
        for (int i = 0; i < n; i++) {
            expected[i * FakeEncoder.DIM] = FakeEncoder.value(i, labels[i]);
            expected[i * FakeEncoder.DIM + 1] = i;
            expected[i * FakeEncoder.DIM + 2] = (1 + i % 5) / 2f; // mean of positions 0 .. (1 + i % 5), [CLS] + words
        }
        assertArrayEquals(expected, pooled);
        float[] cls = LinearProbe.embed(arch, CONFIG, Map.of(), train, Pooling.CLS, ProgressListener.NONE).values();
        for (int i = 0; i < n; i++) {
            expected[i * FakeEncoder.DIM + 2] = 0; // position 0 only
        }
        assertArrayEquals(expected, cls);
        LinearProbe.Result r = LinearProbe.run(arch, CONFIG, Map.of(), train, test, Pooling.MEAN, 1e-3,
                ProgressListener.NONE);
        assertEquals(1.0, r.test().accuracy());
        assertEquals(1.0, r.train().accuracy());
        assertEquals(n, r.testExamples());
        assertEquals(FakeEncoder.DIM, r.dim());
    }

    /** Labelled texts; the text of example i is i repeated (1 + i % 5) times, so lengths vary within a chunk. */
    private record Texts(String name, Split split, List<String> classNames, int[] all) implements Dataset {
        @Override public int size() { return all.length; }
        @Override public Modality modality() { return Modality.TEXT; }
        @Override public long[] imageShape() { return new long[0]; }
        @Override public Tensor images(int from, int to) { throw new TransfuseException("text"); }
        @Override public String attribution() { return "test"; }
        @Override public int[] labels(int from, int to) { return java.util.Arrays.copyOfRange(all, from, to); }
        @Override public List<String> texts(int from, int to) {
            List<String> out = new ArrayList<>();
            for (int i = from; i < to; i++) {
                out.add((i + " ").repeat(1 + i % 5).trim());
            }
            return out;
        }
    }

    /**
     * An encoder whose hidden state at real token p of example i is (value, i, p), and 1e6 on
     * padding. "Tokenizes" a text into one id per word.
     */
    private static final class FakeEncoder implements Architecture {
        static final int DIM = 3;

        static float value(int i, int label) {
            return label == 1 ? 3f + i % 3 : -3f - i % 3;
        }

        @Override
        public Map<String, Tensor> inputs(ModelConfig config, Dataset data, int from, int to) {
            List<String> texts = data.texts(from, to);
            int[] labels = data.labels(from, to);
            int t = 1;
            for (String s : texts) {
                t = Math.max(t, s.split(" ").length + 1);
            }
            long[] ids = new long[texts.size() * t];
            long[] mask = new long[texts.size() * t];
            for (int r = 0; r < texts.size(); r++) {
                int len = texts.get(r).split(" ").length + 1;
                for (int p = 0; p < len; p++) {
                    ids[r * t + p] = (from + r) * 10L + labels[r]; // smuggles index and label to forward
                    mask[r * t + p] = 1;
                }
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            out.put("input_ids", Tensor.ofLongs(new long[] {texts.size(), t}, ids));
            out.put("attention_mask", Tensor.ofLongs(new long[] {texts.size(), t}, mask));
            return out;
        }

        @Override
        public ForwardResult forward(ModelConfig config, Map<String, Tensor> weights, ForwardRequest request) {
            long[] shape = request.inputs().get("input_ids").shape();
            long[] ids = request.inputs().get("input_ids").toLongs();
            long[] mask = request.inputs().get("attention_mask").toLongs();
            int b = (int) shape[0], t = (int) shape[1];
            float[] h = new float[b * t * DIM];
            for (int r = 0; r < b; r++) {
                for (int p = 0; p < t; p++) {
                    int o = (r * t + p) * DIM;
                    if (mask[r * t + p] == 0) {
                        h[o] = 1e6f;
                        h[o + 1] = 1e6f;
                        h[o + 2] = 1e6f;
                        continue;
                    }
                    int i = (int) (ids[r * t + p] / 10), label = (int) (ids[r * t + p] % 10);
                    h[o] = value(i, label);
                    h[o + 1] = i;
                    h[o + 2] = p;
                }
            }
            return new ForwardResult(null, Tensor.ofFloats(new long[] {b, t, DIM}, h), Map.of());
        }

        @Override public String name() { return "fake"; }
        @Override public String description() { return "test encoder"; }
        @Override public ModelGraph graph(ModelConfig config) { throw new UnsupportedOperationException(); }
        @Override public List<HeadGroup> headGroups(ModelConfig config) { throw new UnsupportedOperationException(); }
        @Override public ModelConfig defaultConfig(Dataset data) { throw new UnsupportedOperationException(); }
        @Override public TrainOptions defaultOptions() { throw new UnsupportedOperationException(); }
        @Override public void validate(ModelConfig config, Map<String, Tensor> weights) { }
        @Override public Map<String, Tensor> initialize(ModelConfig c, long seed) { throw new UnsupportedOperationException(); }
        @Override public TrainResult train(TrainRequest r, ProgressListener p) { throw new UnsupportedOperationException(); }
        @Override public Evaluation evaluate(ModelConfig c, Map<String, Tensor> w, Dataset d, int b, ProgressListener p) {
            throw new UnsupportedOperationException();
        }
    }
}
