package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;
import transfuse.api.progress.ProgressListener;
import transfuse.api.tensor.Tensor;

/**
 * Bad input is refused with one line naming the problem (the CLI turns it into exit 2), and
 * leaves no output directory, not even a partial or temporary one.
 */
class BadInputTest {
    @TempDir
    static Path tmp;
    static Path a;
    static Path b;
    static ModelConfig config;

    @BeforeAll
    static void models() {
        config = TestModels.config(16, 2, 4, 32);
        a = TestModels.write(tmp.resolve("a"), config, TestModels.weights(config, 1));
        b = TestModels.write(tmp.resolve("b"), config, TestModels.weights(config, 2));
    }

    private static String refused(List<Path> models, Map<String, String> options, String out) {
        Path target = tmp.resolve(out);
        TransfuseException e = assertThrows(TransfuseException.class, () -> new FusionEngine(TestModels.services())
                .fuse(models, TestModels.options(options, models.size()), target, ProgressListener.NONE));
        assertFalse(e.getMessage().contains("\n"), "message is one line: " + e.getMessage());
        assertFalse(Files.exists(target), "output left behind");
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("." + out)), "temporary dir left behind");
        } catch (java.io.IOException ex) {
            throw new AssertionError(ex);
        }
        return e.getMessage();
    }

    @Test
    void nanWeightsAreRefusedNamingTheTensor() {
        Map<String, Tensor> w = new LinkedHashMap<>(TestModels.weights(config, 2));
        String name = "vit.encoder.layer.1.output.dense.weight";
        float[] v = w.get(name).toFloats();
        v[5] = Float.NaN;
        w.put(name, Tensor.ofFloats(w.get(name).shape(), v));
        Path bad = TestModels.write(tmp.resolve("nan"), config, w);
        // weights-based alignment streams: the NaN is met while writing, which must then roll back
        String msg = refused(List.of(a, bad), Map.of("method", "ot", "align", "weights"), "out-nan-weights");
        assertTrue(msg.contains(name) && msg.contains("NaN"), msg);
        msg = refused(List.of(a, bad), Map.of("method", "perm", "data", "digits:50"), "out-nan-acts");
        assertTrue(msg.contains(name), msg);
    }

    @Test
    void depthMismatchIsRefusedWithoutDepthAlignment() {
        ModelConfig deeper = TestModels.config(16, 3, 4, 32);
        Path d = TestModels.write(tmp.resolve("deep"), deeper, TestModels.weights(deeper, 3));
        String msg = refused(List.of(a, d), Map.of("method", "vanilla"), "out-depth");
        assertTrue(msg.contains("depth mismatch") && msg.contains("has 2 layers") && msg.contains("has 3")
                && msg.contains("--depth-align"), msg);
        msg = refused(List.of(a, d), Map.of("method", "perm", "data", "digits:50"), "out-depth-perm");
        assertTrue(msg.contains("depth mismatch"), msg);
        // Layers are matched by their activations: without data there is nothing to match them by.
        msg = refused(List.of(a, d), Map.of("method", "vanilla", "depth-align", "true"), "out-depth2");
        assertTrue(msg.contains("depth-align") && msg.contains("need data"), msg);
        msg = refused(List.of(a, d), Map.of("method", "vanilla", "depth-align", "maybe"), "out-depth3");
        assertTrue(msg.contains("depth-align") && msg.contains("'maybe'"), msg);
    }

    @Test
    void differentArchitecturesAreRefused() {
        Path other = tmp.resolve("other");
        TestModels.write(other, config.with("model_type", "bert"), TestModels.weights(config, 4));
        String msg = refused(List.of(a, other), Map.of("method", "vanilla"), "out-arch");
        assertTrue(msg.contains("different architectures") && msg.contains("bert"), msg);
    }

    @Test
    void mismatchedClassCountsAreRefused() {
        ModelConfig five = transfuse.arch.vit.VitConfig.toModelConfig(16, 2, 4, 32, 8, 4, 1,
                List.of("a", "b", "c", "d", "e"));
        Path p = TestModels.write(tmp.resolve("five"), five, TestModels.weights(five, 5));
        String msg = refused(List.of(a, p), Map.of("method", "vanilla"), "out-classes");
        assertTrue(msg.contains("classifier") && msg.contains("must match"), msg);
    }

    @Test
    void vanillaRefusesUnequalWidths() {
        ModelConfig wide = TestModels.config(24, 2, 4, 48);
        Path w = TestModels.write(tmp.resolve("wide"), wide, TestModels.weights(wide, 6));
        assertTrue(refused(List.of(a, w), Map.of("method", "vanilla"), "out-wide").contains("equal widths"));
    }

    @Test
    void missingDataAndUnknownOptionValuesAreRefused() {
        assertTrue(refused(List.of(a, b), Map.of("method", "ot"), "out-nodata").contains("needs data"));
        assertTrue(refused(List.of(a, b), Map.of("method", "ot", "data", "no-such-set"), "out-badset")
                .contains("no-such-set"));
        assertTrue(refused(List.of(a, b), Map.of("method", "ot", "qk", "sideways", "data", "digits"), "out-qk")
                .contains("allowed: separate, shared, joint"));
        assertTrue(refused(List.of(a, b), Map.of("method", "perm", "heads", "some", "data", "digits"), "out-heads")
                .contains("allowed: permute, monotonic, ignore"));
        assertTrue(refused(List.of(a, b), Map.of("method", "ot", "solver", "magic", "align", "weights"), "out-solver")
                .contains("magic"));
        assertTrue(refused(List.of(a, b), Map.of("method", "telepathy"), "out-method").contains("telepathy"));
        assertTrue(refused(List.of(a, b), Map.of("method", "perm", "qk", "joint", "data", "digits"), "out-qkperm")
                .contains("option qk: not an option of method perm"));
        assertTrue(refused(List.of(a, b), Map.of("method", "ot", "alpha", "0.7,0.7", "data", "digits"), "out-alpha")
                .contains("sum to 1"));
        assertTrue(refused(List.of(a, tmp.resolve("missing")), Map.of("method", "vanilla"), "out-missing")
                .contains("missing"));
    }

    /** Refused once the data or the models are open, but before any forward pass: no progress is reported. */
    private static String refusedBeforeWork(Map<String, String> options, String out) {
        List<String> events = new ArrayList<>();
        ProgressListener recording = (task, done, total, message) -> events.add(task);
        TransfuseException e = assertThrows(TransfuseException.class, () -> new FusionEngine(TestModels.services())
                .fuse(List.of(a, b), TestModels.options(options, 2), tmp.resolve(out), recording));
        assertEquals(List.of(), events, "work started before the refusal: " + e.getMessage());
        assertFalse(Files.exists(tmp.resolve(out)), "output left behind");
        return e.getMessage();
    }

    @Test
    void moreSamplesThanTheDataHoldsAreRefused() {
        String msg = refusedBeforeWork(Map.of("method", "perm", "data", "digits:100", "samples", "1000"), "out-samples");
        assertEquals("option samples: 1000 is more than the 100 examples of data digits:100", msg);
    }

    @Test
    void aTokenWindowPastTheModelsTokensIsRefused() {
        int tokens = TestModels.vit().maxTokens(config);
        // An unknown data set as well: the token check comes first, before the data is even opened.
        for (String window : List.of("2:" + (tokens + 4), "window:" + (tokens + 1))) {
            String msg = refusedBeforeWork(Map.of("method", "ot", "data", "no-such-set", "tokens", window), "out-tokens");
            assertTrue(msg.startsWith("option tokens: " + window + " reaches past the " + tokens + " tokens of "), msg);
        }
    }

    @Test
    void anExistingDirectoryWithOtherFilesIsNotReplaced() throws Exception {
        Path out = tmp.resolve("occupied");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        TransfuseException e = assertThrows(TransfuseException.class, () -> new FusionEngine(TestModels.services())
                .fuse(List.of(a, b), TestModels.options(Map.of("method", "vanilla"), 2), out, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("notes.txt"));
        assertTrue(Files.exists(out.resolve("notes.txt")));
    }
}
