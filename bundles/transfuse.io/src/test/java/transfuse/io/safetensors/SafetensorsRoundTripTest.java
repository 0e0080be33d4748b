package transfuse.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

class SafetensorsRoundTripTest {
    private static final int TRIALS = 300;

    @TempDir
    Path dir;

    /** Property: for random tensors of every dtype and shape (scalars, zero-size dims), with and
     *  without metadata, reading back what was written gives the same entries, in the same order,
     *  the same raw bytes and the same metadata; and the data region starts 8-byte aligned. */
    @Test
    void writeThenReadIsBitExact() {
        Random random = new Random(20260101);
        boolean[] seen = new boolean[DType.values().length];
        for (int trial = 0; trial < TRIALS; trial++) {
            Map<String, Tensor> tensors = RandomTensors.tensors(random);
            Map<String, String> metadata = RandomTensors.metadata(random);
            Path file = dir.resolve("t" + trial + ".safetensors");
            SafetensorsWriter.write(file, tensors, metadata);
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                assertEquals(0, reader.dataStart() % 8, "data start alignment, trial " + trial);
                assertEquals(metadata, reader.metadata(), "metadata, trial " + trial);
                assertEquals(new ArrayList<>(metadata.keySet()), new ArrayList<>(reader.metadata().keySet()));
                List<SafetensorsEntry> entries = reader.entries();
                assertEquals(new ArrayList<>(tensors.keySet()), entries.stream().map(SafetensorsEntry::name).toList(),
                        "order, trial " + trial);
                for (SafetensorsEntry e : entries) {
                    Tensor expected = tensors.get(e.name());
                    Tensor actual = reader.tensor(e.name());
                    assertEquals(expected.dtype(), actual.dtype());
                    assertArrayEquals(expected.shape(), actual.shape());
                    assertArrayEquals(RandomTensors.bytes(expected), RandomTensors.bytes(actual),
                            "bytes of " + e.name() + ", trial " + trial);
                    seen[expected.dtype().ordinal()] = true;
                }
            }
        }
        for (DType d : DType.values()) {
            assertTrue(seen[d.ordinal()], "the trials covered " + d);
        }
    }

    /** Property: an independent parser written from the format description reads every written
     *  file: header length a multiple of 8 and padded with spaces only, offsets contiguous from 0
     *  in the given order, the file ends with the last tensor, bytes as written. */
    @Test
    void writtenFilesFollowTheFormat() throws IOException {
        Random random = new Random(7);
        for (int trial = 0; trial < TRIALS; trial++) {
            Map<String, Tensor> tensors = RandomTensors.tensors(random);
            Map<String, String> metadata = RandomTensors.metadata(random);
            Path file = dir.resolve("f" + trial + ".safetensors");
            SafetensorsWriter.write(file, tensors, metadata);

            MinimalSafetensorsParser parsed = new MinimalSafetensorsParser(file);
            assertEquals(0, parsed.headerLength % 8, "header length multiple of 8");
            String json = parsed.headerText.stripTrailing();
            assertTrue(parsed.headerText.substring(json.length()).chars().allMatch(c -> c == ' '), "padding is spaces");
            assertTrue(parsed.headerText.length() - json.length() < 8, "padding shorter than the alignment");
            assertEquals(metadata.isEmpty(), parsed.metadata == null, "__metadata__ present exactly when given");
            long offset = 0;
            List<String> names = new ArrayList<>();
            for (MinimalSafetensorsParser.Tensor t : parsed.tensors) {
                Tensor expected = tensors.get(t.name());
                assertEquals(expected.dtype().safetensorsName(), t.dtype());
                assertArrayEquals(expected.shape(), t.shape());
                assertEquals(offset, t.begin(), "contiguous offsets");
                assertArrayEquals(RandomTensors.bytes(expected), t.bytes());
                offset = t.end();
                names.add(t.name());
            }
            assertEquals(new ArrayList<>(tensors.keySet()), names);
            assertEquals(8 + parsed.headerLength + offset, Files.size(file), "file ends with the last tensor");
        }
    }

    /** The exact bytes for a small input, worked out by hand from the format description. */
    @Test
    void smallFileHasTheExpectedBytes() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("w", Tensor.ofFloats(new long[] {2}, new float[] {1.0f, -2.0f}));
        tensors.put("n", Tensor.ofLongs(new long[] {}, new long[] {7}));
        Path file = dir.resolve("small.safetensors");
        SafetensorsWriter.write(file, tensors, Map.of("format", "pt"));

        String json = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[8,16]}}";
        assertEquals(138, json.length(), "so 6 spaces pad the header to 144 bytes");
        ByteBuffer expected = ByteBuffer.allocate(8 + 144 + 16).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(144).put(json.getBytes(StandardCharsets.UTF_8)).put("      ".getBytes(StandardCharsets.US_ASCII));
        expected.putFloat(1.0f).putFloat(-2.0f).putLong(7);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
    }

    /** Property: in aligned order every tensor starts at a multiple of its element size (what
     *  PyTorch needs to view it in place), and tensors of one element size keep their given order. */
    @Test
    void alignedOrderAlignsEveryTensor() {
        Random random = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            List<TensorSource> given = new ArrayList<>();
            RandomTensors.tensors(random).forEach((name, t) -> given.add(TensorSource.of(name, t)));
            List<TensorSource> aligned = SafetensorsWriter.alignedOrder(given);
            Path file = dir.resolve("aligned" + trial + ".safetensors");
            SafetensorsWriter.write(file, aligned, Map.of());
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                for (SafetensorsEntry e : reader.entries()) {
                    assertEquals(0, (reader.dataStart() + e.begin()) % e.dtype().bytes(), e + ", trial " + trial);
                }
            }
            for (int size : new int[] {1, 2, 4, 8}) {
                assertEquals(given.stream().filter(t -> t.dtype().bytes() == size).toList(),
                        aligned.stream().filter(t -> t.dtype().bytes() == size).toList(), "stable within size " + size);
            }
        }
    }

    /** Reproducibility: the same input written twice gives identical files. */
    @Test
    void sameInputGivesIdenticalBytes() throws IOException {
        Map<String, Tensor> tensors = RandomTensors.tensors(new Random(3));
        Map<String, String> metadata = RandomTensors.metadata(new Random(4));
        SafetensorsWriter.write(dir.resolve("a.safetensors"), tensors, metadata);
        SafetensorsWriter.write(dir.resolve("b.safetensors"), tensors, metadata);
        assertArrayEquals(Files.readAllBytes(dir.resolve("a.safetensors")), Files.readAllBytes(dir.resolve("b.safetensors")));
    }

    /** Tensors copied from one file into another, some renamed, keep their bytes, and a file
     *  read and rewritten whole is byte-identical to the original. */
    @Test
    void copyOfCopiesTensorsUnchanged() throws IOException {
        Random random = new Random(11);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", RandomTensors.tensor(random, DType.F32, new long[] {3, 5}));
        tensors.put("b", RandomTensors.tensor(random, DType.BF16, new long[] {0, 2}));
        tensors.put("c", RandomTensors.tensor(random, DType.I8, new long[] {17}));
        Path source = dir.resolve("source.safetensors");
        SafetensorsWriter.write(source, tensors, Map.of("k", "v"));
        Path copy = dir.resolve("copy.safetensors");
        Path renamed = dir.resolve("renamed.safetensors");
        try (SafetensorsReader reader = SafetensorsReader.open(source)) {
            List<TensorSource> all = reader.entries().stream().map(e -> TensorSource.copyOf(reader, e.name())).toList();
            SafetensorsWriter.write(copy, all, reader.metadata());
            SafetensorsWriter.write(renamed, List.of(TensorSource.copyOf(reader, "c", "c2")), Map.of());
        }
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));
        try (SafetensorsReader reader = SafetensorsReader.open(renamed)) {
            assertEquals(List.of("c2"), reader.entries().stream().map(SafetensorsEntry::name).toList());
            assertArrayEquals(RandomTensors.bytes(tensors.get("c")), RandomTensors.bytes(reader.tensor("c2")));
        }
    }

    /** Mapped tensors remain readable after the reader is closed (the mapping outlives the
     *  channel); asking the closed reader for more fails clearly. */
    @Test
    void tensorsOutliveTheReader() {
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, Map.of("x", Tensor.ofDoubles(new long[] {2}, new double[] {0.25, 4})), Map.of());
        Tensor x;
        SafetensorsReader reader = SafetensorsReader.open(file);
        try (reader) {
            x = reader.tensor("x");
        }
        assertArrayEquals(new double[] {0.25, 4}, x.toDoubles());
        assertThrows(IllegalStateException.class, () -> reader.tensor("x"));
    }

    /** A missing name is the user's input error, with the file and the name in one line. */
    @Test
    void unknownTensorNameIsReported() {
        Path file = dir.resolve("y.safetensors");
        SafetensorsWriter.write(file, Map.of("y", Tensor.ofLongs(new long[] {1}, new long[] {1})), Map.of());
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            assertFalse(reader.contains("z"));
            TransfuseException e = assertThrows(TransfuseException.class, () -> reader.tensor("z"));
            assertEquals(file + ": no tensor 'z'", e.getMessage());
        }
    }

    /** Two tensors of one name, or a tensor named __metadata__, cannot be written. */
    @Test
    void duplicateOrReservedNamesAreRefused() {
        Tensor t = Tensor.ofLongs(new long[] {1}, new long[] {1});
        Path file = dir.resolve("dup.safetensors");
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(TensorSource.of("a", t), TensorSource.of("a", t)), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> SafetensorsWriter.write(file,
                List.of(TensorSource.of("__metadata__", t)), Map.of()));
        assertFalse(Files.exists(file));
    }
}
