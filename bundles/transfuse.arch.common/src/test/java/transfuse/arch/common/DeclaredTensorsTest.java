package transfuse.arch.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

class DeclaredTensorsTest {
    private static final List<TensorSpec> SPECS = List.of(new TensorSpec("a", new long[] {2}, List.of("s")),
            new TensorSpec("b", new long[] {1}, List.of("t")));

    @Test
    void splitsDeclaredFromExtrasInOrder() {
        Map<String, Tensor> w = new LinkedHashMap<>();
        w.put("x", Tensor.ofFloats(new long[] {1}, new float[] {9}));
        w.put("b", Tensor.ofFloats(new long[] {1}, new float[] {3}));
        w.put("a", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        DeclaredTensors.validate(SPECS, w);
        assertEquals(List.of("a", "b"), List.copyOf(DeclaredTensors.declared(SPECS, w).keySet()));
        assertEquals(List.of("x"), List.copyOf(DeclaredTensors.extras(SPECS, w).keySet()));
    }

    @Test
    void namesTheFirstBadTensor() {
        assertEquals("missing tensor a (expected shape [2])", assertThrows(TransfuseException.class,
                () -> DeclaredTensors.validate(SPECS, Map.of())).getMessage());
        Map<String, Tensor> shape = Map.of("a", Tensor.ofFloats(new long[] {3}, new float[3]));
        assertEquals("tensor a: expected shape [2] from the config, found [3]", assertThrows(TransfuseException.class,
                () -> DeclaredTensors.validate(SPECS, shape)).getMessage());
        Map<String, Tensor> ints = Map.of("a", Tensor.ofLongs(new long[] {2}, new long[2]));
        assertThrows(TransfuseException.class, () -> DeclaredTensors.validate(SPECS, ints));
    }
}
