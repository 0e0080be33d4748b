package transfuse.io.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import transfuse.api.TransfuseException;

/** Every defect of a safetensors file is refused on open with one line naming the file and the defect. */
class SafetensorsMalformedTest {
    @TempDir
    Path dir;

    static Stream<Arguments> defects() {
        return Stream.of(
                Arguments.of("empty file", new byte[0], "file is 0 bytes, shorter than the 8-byte header length"),
                Arguments.of("truncated length", new byte[5], "file is 5 bytes, shorter than the 8-byte header length"),
                Arguments.of("header length past the end", withLength(1000, "{}"),
                        "header length 1000 is larger than the rest of the file (2 bytes)"),
                Arguments.of("header length absurd", withLength(-1, "{}"),
                        "header length 18446744073709551615 is larger than the rest of the file (2 bytes)"),
                Arguments.of("header not UTF-8", withLength(4, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'}),
                        "header is not valid UTF-8"),
                Arguments.of("header not JSON", file("{\"x\": {", 0), "header is not valid JSON: "),
                Arguments.of("header cut short", file("{\"x\":{\"dtype\":\"F32\"", 0), "header is not valid JSON: "),
                Arguments.of("header an array", file("[1, 2]", 0), "header is an array, not a JSON object"),
                Arguments.of("header a string", file("\"x\"", 0), "header is a string, not a JSON object"),
                Arguments.of("duplicate tensor", file("{\"x\":" + info("U8", "[1]", "[0,1]") + ",\"x\":"
                        + info("U8", "[1]", "[0,1]") + "}", 1), "Duplicate field 'x'"),
                Arguments.of("tensor not an object", file("{\"x\":5}", 0),
                        "tensor 'x': expected an object with dtype, shape and data_offsets, found 5"),
                Arguments.of("unknown dtype", file("{\"x\":" + info("F8_E4M3", "[1]", "[0,1]") + "}", 1),
                        "tensor 'x': unknown dtype 'F8_E4M3' (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)"),
                Arguments.of("dtype not a string", file("{\"x\":" + info("5", "[1]", "[0,1]").replace("\"5\"", "5") + "}", 1),
                        "tensor 'x': field 'dtype' must be a string, found 5"),
                Arguments.of("missing dtype", file("{\"x\":{\"shape\":[1],\"data_offsets\":[0,1]}}", 1),
                        "tensor 'x': missing field 'dtype'"),
                Arguments.of("missing shape", file("{\"x\":{\"dtype\":\"U8\",\"data_offsets\":[0,1]}}", 1),
                        "tensor 'x': missing field 'shape'"),
                Arguments.of("missing data_offsets", file("{\"x\":{\"dtype\":\"U8\",\"shape\":[1]}}", 1),
                        "tensor 'x': missing field 'data_offsets'"),
                Arguments.of("shape not an array", file("{\"x\":" + info("U8", "\"1\"", "[0,1]") + "}", 1),
                        "tensor 'x': field 'shape' must be an array of non-negative integers, found \"1\""),
                Arguments.of("negative dimension", file("{\"x\":" + info("U8", "[-1]", "[0,1]") + "}", 1),
                        "tensor 'x': field 'shape' must be an array of non-negative integers, found [-1]"),
                Arguments.of("fractional dimension", file("{\"x\":" + info("U8", "[1.5]", "[0,1]") + "}", 1),
                        "tensor 'x': field 'shape' must be an array of non-negative integers, found [1.5]"),
                Arguments.of("three offsets", file("{\"x\":" + info("U8", "[1]", "[0,1,2]") + "}", 2),
                        "tensor 'x': field 'data_offsets' must be [begin, end] with non-negative integers, found [0,1,2]"),
                Arguments.of("offsets as strings", file("{\"x\":" + info("U8", "[1]", "[\"0\",\"1\"]") + "}", 1),
                        "tensor 'x': field 'data_offsets' must be [begin, end] with non-negative integers"),
                Arguments.of("end before begin", file("{\"x\":" + info("U8", "[0]", "[8,4]") + "}", 8),
                        "tensor 'x': data_offsets [8, 4] end before they begin"),
                Arguments.of("offsets out of range", file("{\"x\":" + info("F32", "[4]", "[0,16]") + "}", 8),
                        "tensor 'x': data_offsets [0, 16] reach past the end of the data region (8 bytes)"),
                Arguments.of("size mismatch", file("{\"x\":" + info("F32", "[2,2]", "[0,12]") + "}", 16),
                        "tensor 'x': data_offsets [0, 12] hold 12 bytes but F32[2,2] needs 16"),
                Arguments.of("shape too large", file("{\"x\":" + info("F64", "[4294967296,4294967296,4]", "[0,8]") + "}", 8),
                        "tensor 'x': F64[4294967296,4294967296,4] has more bytes than a file can hold"),
                Arguments.of("overlapping offsets", file("{\"a\":" + info("F32", "[2]", "[0,8]") + ",\"b\":"
                        + info("F32", "[2]", "[4,12]") + "}", 12), "tensors 'a' [0, 8] and 'b' [4, 12] overlap"),
                Arguments.of("overlap listed in reverse", file("{\"b\":" + info("U8", "[2]", "[6,8]") + ",\"a\":"
                        + info("U8", "[8]", "[0,8]") + "}", 8), "tensors 'a' [0, 8] and 'b' [6, 8] overlap"),
                Arguments.of("overlap behind a long tensor", file("{\"a\":" + info("U8", "[10]", "[0,10]") + ",\"b\":"
                        + info("U8", "[2]", "[2,4]") + ",\"c\":" + info("U8", "[2]", "[6,8]") + "}", 10),
                        "tensors 'a' [0, 10] and 'b' [2, 4] overlap"),
                Arguments.of("metadata not an object", file("{\"__metadata__\":[\"a\"]}", 0),
                        "'__metadata__' must be an object of strings, found an array"),
                Arguments.of("metadata value not a string", file("{\"__metadata__\":{\"k\":3}}", 0),
                        "'__metadata__' entry 'k' must be a string, found 3"),
                Arguments.of("line break in a name", file("{\"x\\ny\":" + info("X", "[1]", "[0,1]") + "}", 1),
                        "tensor 'x\\u000ay': unknown dtype 'X'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void defectIsReportedInOneLine(String label, byte[] content, String defect) throws IOException {
        Path file = dir.resolve(label.replace(' ', '-') + ".safetensors");
        Files.write(file, content);
        TransfuseException e = assertThrows(TransfuseException.class, () -> SafetensorsReader.open(file).close());
        assertOneLine(file, defect, e);
    }

    /** A header length above the 100 MB limit is refused before anything is allocated (the file
     *  is sparse, so the test does not write 100 MB). */
    @Test
    void headerLengthOverTheLimitIsRefused() throws IOException {
        Path file = dir.resolve("huge-header.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(withLength(200_000_000, "{"));
            f.setLength(300_000_000);
        }
        TransfuseException e = assertThrows(TransfuseException.class, () -> SafetensorsReader.open(file).close());
        assertOneLine(file, "header length 200000000 exceeds the limit of 100000000 bytes", e);
    }

    /** A missing file is the user's input error, reported like the others. */
    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("absent.safetensors");
        TransfuseException e = assertThrows(TransfuseException.class, () -> SafetensorsReader.open(file).close());
        assertOneLine(file, "no such file or directory", e);
    }

    @Test
    void directoryIsReported() {
        TransfuseException e = assertThrows(TransfuseException.class, () -> SafetensorsReader.open(dir).close());
        assertOneLine(dir, "is a directory, expected a .safetensors file", e);
    }

    private static void assertOneLine(Path file, String defect, TransfuseException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": "), "names the file first: " + m);
        assertTrue(m.contains(defect), "names the defect '" + defect + "': " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    }

    private static String info(String dtype, String shape, String offsets) {
        return "{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
    }

    /** A well-framed file: the header's true length, the header, then zeroed data. */
    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).array();
    }

    private static byte[] withLength(long length, String rest) {
        return withLength(length, rest.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withLength(long length, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN).putLong(length).put(rest).array();
    }
}
