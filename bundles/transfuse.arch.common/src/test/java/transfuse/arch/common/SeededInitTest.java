package transfuse.arch.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

class SeededInitTest {
    @Test
    void aTensorsValuesDependOnSeedAndNameOnly() {
        float[] a = new float[64], again = new float[64], other = new float[64];
        SeededInit.normal(a, 7, "w", 0.02);
        SeededInit.normal(again, 7, "w", 0.02);
        SeededInit.normal(other, 8, "w", 0.02);
        assertArrayEquals(a, again);
        assertFalse(Arrays.equals(a, other));
    }

    @Test
    void allKeepsDeclarationOrder() {
        List<TensorSpec> specs = List.of(new TensorSpec("z", new long[] {1}, List.of("s")),
                new TensorSpec("a", new long[] {1}, List.of("s")));
        Map<String, Tensor> out = SeededInit.all(specs, s -> Tensor.ofFloats(s.shape(), new float[1]));
        assertEquals(List.of("z", "a"), List.copyOf(out.keySet()));
    }
}
