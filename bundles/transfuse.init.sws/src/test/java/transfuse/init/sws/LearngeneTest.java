package transfuse.init.sws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ConfigJson;
import transfuse.io.config.ModelDir;

class LearngeneTest {
    private final Architecture vit = new TestContext().vit();

    @Test
    void writtenAndReadBackALearngeneKeepsItsRecordAndWeights(@TempDir Path tmp) {
        Path dir = tmp.resolve("lg");
        ModelConfig config = TestLearngenes.vitConfig(3);
        Map<String, Tensor> weights = vit.initialize(config, 7);
        Learngene lg = new Learngene(config, new int[] {2, 1, 3}, 6, "anc", 0.5, 2.0, "hard", 120, List.of(2.5, 1.25));
        lg.write(dir, weights, Map.of());

        Learngene back = Learngene.read(dir);
        assertArrayEquals(new int[] {2, 1, 3}, back.stages());
        assertEquals(6, back.auxDepth());
        assertEquals("anc", back.ancestor());
        assertEquals(0.5, back.alpha());
        assertEquals(2.0, back.tau());
        assertEquals("hard", back.kd());
        assertEquals(120, back.steps());
        assertEquals(List.of(2.5, 1.25), back.losses());
        assertArrayEquals(new int[] {0, 0, 1, 2, 2, 2}, back.stageSchedule());
        assertEquals(3, back.stageModelConfig().getInt(LayerReindexing.DEPTH_FIELD));
        assertFalse(back.stageModelConfig().has(Learngene.FIELD));
        Map<String, Tensor> read = ModelDir.loadWeights(dir);
        assertEquals(weights.keySet(), read.keySet());
        weights.forEach((n, t) -> assertArrayEquals(t.toFloats(), read.get(n).toFloats(), n));
        vit.validate(back.stageModelConfig(), read);
    }

    @Test
    void eachBrokenFieldIsOneLineNamingTheFileAndField(@TempDir Path tmp) {
        TestLearngenes.learngene(vit, tmp.resolve("lg"), new int[] {2, 3}, 1);
        expectError(tmp, "stages", r -> r.put("stages", List.of(2, 2)));
        expectError(tmp, "stages", r -> r.put("stages", List.of(0, 5)));
        expectError(tmp, "stages", r -> r.put("stages", "2,3"));
        expectError(tmp, "aux_depth", r -> r.put("aux_depth", 2.5));
        expectError(tmp, "num_hidden_layers", r -> {
            r.put("stages", List.of(1, 1, 3));
        });
        expectError(tmp, "alpha", r -> r.put("alpha", 1.5));
        expectError(tmp, "tau", r -> r.put("tau", 0));
        expectError(tmp, "kd", r -> r.put("kd", "medium"));
        expectError(tmp, "steps", r -> r.put("steps", -1));
        expectError(tmp, "losses", r -> r.put("losses", List.of("x")));

        Path config = tmp.resolve("lg").resolve(ModelDir.CONFIG);
        ConfigJson.write(config, Learngene.withoutField(ConfigJson.read(config)));
        TransfuseException e = assertThrows(TransfuseException.class, () -> Learngene.read(tmp.resolve("lg")));
        assertTrue(e.getMessage().contains(config.toString()) && e.getMessage().contains(Learngene.FIELD), e.getMessage());
    }

    /** Breaks one field of the learngene's record and expects read to name the file and that field. */
    private static void expectError(Path tmp, String field, Consumer<Map<String, Object>> breakIt) {
        Path dir = tmp.resolve("broken-" + field + System.nanoTime());
        Path good = tmp.resolve("lg").resolve(ModelDir.CONFIG);
        ModelConfig config = ConfigJson.read(good);
        @SuppressWarnings("unchecked")
        Map<String, Object> record = new LinkedHashMap<>((Map<String, Object>) config.fields().get(Learngene.FIELD));
        breakIt.accept(record);
        dir.toFile().mkdirs();
        Path file = dir.resolve(ModelDir.CONFIG);
        ConfigJson.write(file, config.with(Learngene.FIELD, record));
        TransfuseException e = assertThrows(TransfuseException.class, () -> Learngene.read(dir), field);
        String m = e.getMessage();
        assertTrue(m.contains(file.toString()) && m.contains(field) && !m.contains("\n"), field + ": " + m);
    }
}
