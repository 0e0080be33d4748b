package transfuse.io.npy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static transfuse.io.npy.NpyTest.le;
import static transfuse.io.npy.NpyTest.npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import transfuse.api.TransfuseException;

/** Every defect of an .npy file is refused with one line naming the file and the defect. */
class NpyMalformedTest {
    @TempDir
    Path dir;

    static Stream<Arguments> defects() {
        byte[] good = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", le(16));
        return Stream.of(
                Arguments.of("empty", new byte[0], "file is 0 bytes, too short for an .npy header"),
                Arguments.of("bad magic", withByte(good, 1, 'X'), "not an .npy file (it does not start with \\x93NUMPY)"),
                Arguments.of("version 4", withByte(good, 6, 4), "unsupported .npy format version 4.0 (supported: 1.0, 2.0, 3.0)"),
                Arguments.of("minor version 1", withByte(good, 7, 1), "unsupported .npy format version 1.1"),
                Arguments.of("header length past the end", Arrays.copyOf(good, 40),
                        "header length 118 is larger than the rest of the file (30 bytes)"),
                Arguments.of("header not a literal", npy(1, "{'descr': '<f8', 'fortran_order': Fals", le(16)),
                        "header is not a Python literal: unknown name 'Fals'"),
                Arguments.of("header not a dict", npy(1, "(1, 2)", le(0)), "header is not a dict"),
                Arguments.of("missing shape", npy(1, "{'descr': '<f8', 'fortran_order': False}", le(8)),
                        "header has no 'shape'"),
                Arguments.of("unexpected key", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", le(8)),
                        "header has an unexpected key 'x'"),
                Arguments.of("complex type", npy(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", le(16)),
                        "descr '<c16': unsupported (supported: <f8, <f4, <f2, <i8, <i4, <i2, |i1, |u1, |b1)"),
                Arguments.of("big-endian", npy(1, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", le(8)),
                        "descr '>f8': big-endian data is not supported"),
                Arguments.of("structured type", npy(1, "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", le(8)),
                        "header 'descr' must be a string such as '<f8'"),
                Arguments.of("fortran order", npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", le(48)),
                        "fortran_order True (column-major) is not supported; save a C-order array"),
                Arguments.of("negative dimension", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", le(8)),
                        "header 'shape' must be a tuple of non-negative integers"),
                Arguments.of("shape a string", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': '2', }", le(8)),
                        "header 'shape' must be a tuple of non-negative integers"),
                Arguments.of("truncated data", Arrays.copyOf(good, good.length - 3),
                        "truncated: 13 data bytes but <f8 (2,) needs 16"),
                Arguments.of("extra data", Arrays.copyOf(good, good.length + 8), "8 bytes after the data of <f8 (2,)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("defects")
    void defectIsReportedInOneLine(String label, byte[] content, String defect) throws IOException {
        Path file = dir.resolve(label.replace(' ', '-') + ".npy");
        Files.write(file, content);
        assertOneLine(file, defect, assertThrows(TransfuseException.class, () -> Npy.read(file)));
    }

    @Test
    void missingFileIsReported() {
        Path file = dir.resolve("absent.npy");
        assertOneLine(file, "no such file or directory", assertThrows(TransfuseException.class, () -> Npy.read(file)));
    }

    private static void assertOneLine(Path file, String defect, TransfuseException e) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file + ": "), "names the file first: " + m);
        assertTrue(m.contains(defect), "names the defect '" + defect + "': " + m);
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
    }

    private static byte[] withByte(byte[] content, int index, int value) {
        byte[] copy = content.clone();
        copy[index] = (byte) value;
        return copy;
    }
}
