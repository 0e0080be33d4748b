package transfuse.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/** A write that fails midway leaves the previous target untouched and no temporary file behind. */
class SafetensorsWriterFailureTest {
    @TempDir
    Path dir;
    Path target;
    byte[] previous;

    @BeforeEach
    void writePreviousVersion() throws IOException {
        target = dir.resolve("model.safetensors");
        SafetensorsWriter.write(target, Map.of("old", Tensor.ofFloats(new long[] {2}, new float[] {1, 2})), Map.of());
        previous = Files.readAllBytes(target);
    }

    /** The producer of the second tensor writes part of it, then fails with an I/O error. */
    @Test
    void ioFailureInAProducerKeepsTheOldFile() throws IOException {
        TensorSource good = TensorSource.of("a", Tensor.ofDoubles(new long[] {3}, new double[] {1, 2, 3}));
        TensorSource failing = new TensorSource("b", DType.U8, new long[] {1000}, out -> {
            out.write(ByteBuffer.allocate(500));
            throw new IOException("generator broke");
        });
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> SafetensorsWriter.write(target, List.of(good, failing), Map.of()));
        assertTrue(e.getMessage().startsWith(target + ": "), e.getMessage());
        assertUntouched();
    }

    /** A runtime failure of a producer reaches the caller as itself, after the cleanup. */
    @Test
    void runtimeFailureInAProducerPropagatesAndKeepsTheOldFile() throws IOException {
        IllegalStateException boom = new IllegalStateException("boom");
        TensorSource failing = new TensorSource("b", DType.U8, new long[] {10}, out -> {
            out.write(ByteBuffer.allocate(3));
            throw boom;
        });
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> SafetensorsWriter.write(target, List.of(failing), Map.of())));
        assertUntouched();
    }

    /** A producer that writes fewer bytes than its shape needs is caught, not written as a corrupt file. */
    @Test
    void shortProducerIsCaught() throws IOException {
        TensorSource shortOne = new TensorSource("b", DType.F32, new long[] {4}, out -> out.write(ByteBuffer.allocate(12)));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SafetensorsWriter.write(target, List.of(shortOne), Map.of()));
        assertEquals("tensor 'b': wrote 12 bytes but F32[4] needs 16", e.getMessage());
        assertUntouched();
    }

    /** A successful write replaces the old file and leaves nothing else in the directory. */
    @Test
    void successfulWriteReplacesTheFile() throws IOException {
        SafetensorsWriter.write(target, Map.of("new", Tensor.ofLongs(new long[] {1}, new long[] {5})), Map.of());
        try (SafetensorsReader r = SafetensorsReader.open(target)) {
            assertEquals(List.of("new"), r.entries().stream().map(SafetensorsEntry::name).toList());
        }
        assertEquals(List.of(target), listing());
    }

    private void assertUntouched() throws IOException {
        assertArrayEquals(previous, Files.readAllBytes(target), "previous target intact");
        assertEquals(List.of(target), listing(), "no temporary file left");
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
