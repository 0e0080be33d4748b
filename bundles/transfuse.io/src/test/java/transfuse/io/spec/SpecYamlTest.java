package transfuse.io.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;

class SpecYamlTest {
    @TempDir
    Path tmp;

    /** Both list spellings, quotes and comments give the plain values a JSON body would hold. */
    @Test
    void readsFlatKeysWithListsAndTypedScalars() throws Exception {
        Path spec = tmp.resolve("spec.yaml");
        Files.writeString(spec, "# fuse two\nmodels:\n  - runs/a\n  - \"runs/b\"\nmethod: ot   # comment\n"
                + "alpha: [0.25, 0.75]\nsolver: emd\ndata: fashion-mnist:500\ndepth-align: true\nseed: 3\n");
        Map<String, Object> m = SpecYaml.read(spec);
        assertEquals(List.of("runs/a", "runs/b"), m.get("models"));
        assertEquals("ot", m.get("method"));
        assertEquals(List.of(0.25, 0.75), m.get("alpha"));
        assertEquals("fashion-mnist:500", m.get("data"));
        assertEquals(Boolean.TRUE, m.get("depth-align"));
        assertEquals(3, m.get("seed"));
        assertEquals(List.of("models", "method", "alpha", "solver", "data", "depth-align", "seed"), List.copyOf(m.keySet()));
    }

    @Test
    void refusesNestingDuplicatesAndNonMappingsNamingTheFile() throws Exception {
        Path spec = tmp.resolve("bad.yaml");
        Files.writeString(spec, "method: ot\nqk:\n  nested: 1\n");
        assertTrue(assertThrows(TransfuseException.class, () -> SpecYaml.read(spec)).getMessage()
                .contains("'qk' holds a nested mapping"));
        Files.writeString(spec, "method: ot\nmethod: perm\n");
        assertTrue(assertThrows(TransfuseException.class, () -> SpecYaml.read(spec)).getMessage()
                .startsWith(spec + ":"));
        Files.writeString(spec, "- a\n- b\n");
        assertTrue(assertThrows(TransfuseException.class, () -> SpecYaml.read(spec)).getMessage()
                .contains("found a list"));
        Files.writeString(spec, "models: [a, b\n");
        String m = assertThrows(TransfuseException.class, () -> SpecYaml.read(spec)).getMessage();
        assertTrue(m.startsWith(spec + ":") && !m.contains("\n"), m);
    }

    @Test
    void emptyFileIsAnEmptySpec() throws Exception {
        Path spec = tmp.resolve("empty.yaml");
        Files.writeString(spec, "# nothing\n");
        assertTrue(SpecYaml.read(spec).isEmpty());
    }
}
