package transfuse.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import java.util.zip.CRC32C;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelInspection;

/**
 * A 2.4 GB file, past the 2 GiB limit of one buffer, written by streaming and read back through
 * mappings. Runs in its own JVM with a 256 MB heap (see the module's pom), so any path that puts
 * the file on the heap fails with OutOfMemoryError.
 */
class SafetensorsBigFileTest {
    private static final long TWO_GIB = 1L << 31;
    private static final long BYTES = 2_200_000_000L;
    private static final long FLOATS = 40_000_000L;
    private static final long SEED_BYTES = 0x5eedL;
    private static final long SEED_FLOATS = 0xf10a7L;
    private static final int CHUNK = 8 << 20;

    @TempDir
    Path dir;

    @Test
    void fileLargerThan2GiBRoundTripsWithoutTheHeap() throws IOException {
        assertTrue(Runtime.getRuntime().maxMemory() <= 300L << 20,
                "runs with a heap far smaller than the file, was " + Runtime.getRuntime().maxMemory());
        Path file = dir.resolve("big.safetensors");
        Map<String, Long> writtenCrc = new LinkedHashMap<>();
        float[] head = new float[15];
        for (int i = 0; i < head.length; i++) {
            head[i] = i;
        }
        double[] after = new double[1000];
        for (int i = 0; i < after.length; i++) {
            after[i] = Math.sqrt(i);
        }

        long start = System.nanoTime();
        SafetensorsWriter.write(file, List.of(
                TensorSource.of("head", Tensor.ofFloats(new long[] {3, 5}, head)),
                new TensorSource("bytes", DType.U8, new long[] {BYTES},
                        out -> writtenCrc.put("bytes", generate(out, BYTES / 8, SafetensorsBigFileTest::longAt))),
                TensorSource.of("empty", new Tensor(DType.F32, new long[] {0, 7}, ByteBuffer.allocate(0))),
                new TensorSource("floats", DType.F32, new long[] {FLOATS},
                        out -> writtenCrc.put("floats", generate(out, FLOATS / 2, SafetensorsBigFileTest::floatPairAt))),
                TensorSource.of("after", Tensor.ofDoubles(new long[] {1000}, after))), Map.of("kind", "big"));
        double writeSeconds = (System.nanoTime() - start) / 1e9;

        // Listing and inspecting read only the header: resident memory must not grow with the file.
        long rssBefore = residentBytes();
        start = System.nanoTime();
        String report = ModelInspection.inspect(file).toText();
        long rssGrowth = residentBytes() - rssBefore;
        assertTrue(report.contains("total: 5 tensors, 40001015 parameters, 2360008060 bytes"), report);
        assertTrue(rssGrowth < 64L << 20, "inspecting grew resident memory by " + rssGrowth + " bytes");

        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            List<SafetensorsEntry> entries = reader.entries();
            assertEquals(List.of("head", "bytes", "empty", "floats", "after"),
                    entries.stream().map(SafetensorsEntry::name).toList());
            assertEquals(new SafetensorsEntry("bytes", DType.U8, new long[] {BYTES}, 60, 60 + BYTES), entries.get(1));
            assertEquals(reader.dataStart() + 60 + BYTES + FLOATS * 4 + 8000, Files.size(file));
            SafetensorsEntry bytes = entries.get(1);
            long boundary = TWO_GIB - reader.dataStart() - bytes.begin();
            assertTrue(boundary > 0 && boundary < BYTES, "the 2 GiB file offset falls inside 'bytes'");
            assertTrue(reader.dataStart() + entries.get(3).begin() > TWO_GIB, "'floats' lies wholly past 2 GiB");

            assertThrows(TransfuseException.class, () -> reader.tensor("bytes"), "one buffer cannot hold 2.2 GB");
            assertArrayEquals(head, reader.tensor("head").toFloats());
            assertArrayEquals(after, reader.tensor("after").toDoubles());
            assertEquals(0, reader.tensor("empty").byteSize());
            assertEquals(Map.of("kind", "big"), reader.metadata());

            Random random = new Random(2026);
            for (int i = 0; i < 4000; i++) {
                long p = i % 2 == 0 ? Math.floorMod(random.nextLong(), BYTES) : boundary - 4096 + random.nextInt(8192);
                assertEquals(byteAt(p), reader.window("bytes", p, 1).get(0), "byte " + p);
            }
            Tensor floats = reader.tensor("floats");
            ByteBuffer floatData = floats.data();
            for (int i = 0; i < 2000; i++) {
                int j = random.nextInt((int) FLOATS);
                assertEquals(floatAt(j), floatData.getFloat(j * 4), "float " + j);
            }

            CRC32C crc = new CRC32C();
            int window = 256 << 20;
            for (long p = 0; p < BYTES; p += window) {
                crc.update(reader.window("bytes", p, (int) Math.min(window, BYTES - p)));
            }
            assertEquals(writtenCrc.get("bytes"), crc.getValue(), "checksum of 'bytes' read in windows");
            crc.reset();
            crc.update(floats.data());
            assertEquals(writtenCrc.get("floats"), crc.getValue(), "checksum of 'floats' from its mapping");

            CrcChannel copied = new CrcChannel();
            reader.copyTo("after", copied);
            crc.reset();
            crc.update(reader.tensor("after").data());
            assertEquals(crc.getValue(), copied.crc.getValue(), "copyTo delivers the tensor's bytes");
        }
        double readSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("big file: %d bytes written in %.1f s, inspected (resident memory +%d KB) and verified in %.1f s%n",
                Files.size(file), writeSeconds, rssGrowth >> 10, readSeconds);
    }

    /** Fills a chunk with the 8 bytes of each index in turn, writes it, and returns the CRC of all. */
    private static long generate(WritableByteChannel out, long count, LongUnaryOperator valueAt)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        for (long k = 0; k < count; ) {
            buffer.clear();
            while (buffer.hasRemaining() && k < count) {
                buffer.putLong(valueAt.applyAsLong(k++));
            }
            buffer.flip();
            crc.update(buffer.duplicate());
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
        return crc.getValue();
    }

    /** splitmix64's finaliser: a fast, well-mixed function of the index, so any byte can be checked alone. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private static long longAt(long k) {
        return mix(SEED_BYTES + k);
    }

    private static byte byteAt(long p) {
        return (byte) (longAt(p >>> 3) >>> ((p & 7) * 8));
    }

    private static float floatAt(long j) {
        return (mix(SEED_FLOATS + j) >>> 40) * 0x1p-24f;
    }

    /** Two floats as the little-endian long that holds them. */
    private static long floatPairAt(long k) {
        long low = Float.floatToRawIntBits(floatAt(2 * k)) & 0xffffffffL;
        long high = Float.floatToRawIntBits(floatAt(2 * k + 1)) & 0xffffffffL;
        return low | high << 32;
    }

    private static long residentBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static final class CrcChannel implements WritableByteChannel {
        final CRC32C crc = new CRC32C();

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            crc.update(src);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
