package transfuse.io.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

class NpyTest {
    /** numpy 2.4.6: {@code np.save(f, np.arange(6, dtype='<f8').reshape(2, 3))}, verbatim. */
    private static final String NUMPY_ARANGE_2X3
            = "934e554d5059010076007b276465736372273a20273c6638272c2027666f727472616e5f6f72646572273a2046616c73"
            + "652c20277368617065273a2028322c2033292c207d202020202020202020202020202020202020202020202020202020"
            + "202020202020202020202020202020202020202020202020202020202020200a0000000000000000000000000000f03f"
            + "0000000000000040000000000000084000000000000010400000000000001440";

    @TempDir
    Path dir;

    /** The writer produces numpy's bytes exactly, and the reader reads them back. */
    @Test
    void matchesNumpyByteForByte() throws IOException {
        byte[] numpy = HexFormat.of().parseHex(NUMPY_ARANGE_2X3);
        Tensor t = Tensor.ofDoubles(new long[] {2, 3}, new double[] {0, 1, 2, 3, 4, 5});
        Path file = dir.resolve("arange.npy");
        Npy.write(file, t);
        assertArrayEquals(numpy, Files.readAllBytes(file));

        Path fromNumpy = dir.resolve("numpy.npy");
        Files.write(fromNumpy, numpy);
        Tensor read = Npy.read(fromNumpy);
        assertEquals(DType.F64, read.dtype());
        assertArrayEquals(new long[] {2, 3}, read.shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, read.toDoubles());
    }

    /** Files laid out by hand from the NPY spec as numpy writes them (version 1.0 header padded to
     *  64 bytes ending in a newline, room for the first dimension to grow): the writer produces
     *  them, the reader reads them. Header texts are those numpy 2.4.6 writes. */
    @Test
    void matchesHandBuiltReferenceFiles() throws IOException {
        checkReference("{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                Tensor.ofFloats(new long[] {}, new float[] {1.5f}), le(4).putFloat(1.5f));
        checkReference("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }",
                Tensor.ofLongs(new long[] {3}, new long[] {1, -2, 3}), le(24).putLong(1).putLong(-2).putLong(3));
        checkReference("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }",
                Tensor.ofDoubles(new long[] {0, 3}, new double[0]), le(0));
        checkReference("{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }",
                new Tensor(DType.U8, new long[] {2}, ByteBuffer.wrap(new byte[] {1, 2})), le(2).put((byte) 1).put((byte) 2));
        checkReference("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }",
                new Tensor(DType.I32, new long[] {2}, le(8).putInt(1).putInt(2).flip()), le(8).putInt(1).putInt(2));
        checkReference("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }",
                new Tensor(DType.BOOL, new long[] {2}, ByteBuffer.wrap(new byte[] {1, 0})), le(2).put((byte) 1).put((byte) 0));
        checkReference("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000, 0), }",
                Tensor.ofDoubles(new long[] {1_000_000_000_000L, 0}, new double[0]), le(0));
    }

    private void checkReference(String dict, Tensor tensor, ByteBuffer data) throws IOException {
        byte[] expected = npy(1, dict + growthRoom(tensor.shape()), data.flip());
        Path written = dir.resolve("written.npy");
        Npy.write(written, tensor);
        assertArrayEquals(expected, Files.readAllBytes(written), dict);

        Path reference = dir.resolve("reference.npy");
        Files.write(reference, expected);
        Tensor read = Npy.read(reference);
        assertEquals(tensor.dtype(), read.dtype());
        assertArrayEquals(tensor.shape(), read.shape());
        assertArrayEquals(bytes(tensor), bytes(read), dict);
    }

    /** numpy 2.4.6 with {@code format.write_array(f, a, version=(2, 0))} and {@code (3, 0)}: a u32
     *  header length; the reader accepts both. */
    @Test
    void readsVersions2And3() throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }" + " ".repeat(20);
        for (int version : new int[] {2, 3}) {
            Path file = dir.resolve("v" + version + ".npy");
            Files.write(file, npy(version, dict, le(8).putFloat(0.5f).putFloat(-1).flip()));
            Tensor t = Npy.read(file);
            assertArrayEquals(new float[] {0.5f, -1}, t.toFloats(), "version " + version);
        }
    }

    /** Property: every supported dtype, random shapes (scalars, zero-size dims), round-trips bit-exactly. */
    @Test
    void roundTripIsBitExactForEveryType() {
        Random random = new Random(99);
        DType[] types = {DType.F64, DType.F32, DType.F16, DType.I64, DType.I32, DType.I16, DType.I8, DType.U8, DType.BOOL};
        for (int trial = 0; trial < 200; trial++) {
            DType dtype = types[trial % types.length];
            long[] shape = new long[random.nextInt(5)];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(5);
            }
            byte[] raw = new byte[Math.toIntExact(Tensor.numel(shape) * dtype.bytes())];
            random.nextBytes(raw);
            if (dtype == DType.BOOL) {
                for (int i = 0; i < raw.length; i++) {
                    raw[i] &= 1;
                }
            }
            Tensor t = new Tensor(dtype, shape, ByteBuffer.wrap(raw));
            Path file = dir.resolve("r" + trial + ".npy");
            Npy.write(file, t);
            Tensor back = Npy.read(file);
            assertEquals(dtype, back.dtype());
            assertArrayEquals(shape, back.shape());
            assertArrayEquals(raw, bytes(back), "trial " + trial);
        }
    }

    /** Writing with a target type converts: F32 values to float64 (the default for results), F64 to int64. */
    @Test
    void writeConvertsToTheRequestedType() {
        Path file = dir.resolve("c.npy");
        Npy.write(file, Tensor.ofFloats(new long[] {3}, new float[] {0.1f, -2, 3.5f}), DType.F64);
        Tensor t = Npy.read(file);
        assertEquals(DType.F64, t.dtype());
        assertArrayEquals(new double[] {0.1f, -2, 3.5f}, t.toDoubles());

        Npy.write(file, Tensor.ofDoubles(new long[] {2}, new double[] {7, -3}), DType.I64);
        assertArrayEquals(new long[] {7, -3}, Npy.read(file).toLongs());
    }

    /** NumPy has no bfloat16: writing one is refused rather than stored under another type. */
    @Test
    void bfloat16IsRefused() {
        Tensor bf16 = new Tensor(DType.BF16, new long[] {1}, ByteBuffer.allocate(2));
        assertThrows(IllegalArgumentException.class, () -> Npy.write(dir.resolve("b.npy"), bf16));
    }

    /** The preamble: magic, version, header length (u16 for 1.0, u32 after), the header text
     *  padded with spaces to a multiple of 64 bytes in all, ending in a newline; then the data. */
    static byte[] npy(int version, String dict, ByteBuffer data) {
        int prefix = version == 1 ? 10 : 12;
        int headerLength = dict.length() + 1;
        // As numpy does it: a header already ending on a multiple of 64 still gets 64 more bytes.
        headerLength += 64 - (prefix + headerLength) % 64;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        ByteBuffer length = le(prefix - 8);
        out.writeBytes((version == 1 ? length.putShort((short) headerLength) : length.putInt(headerLength)).array());
        String padded = dict + " ".repeat(headerLength - 1 - dict.length()) + "\n";
        out.writeBytes(padded.getBytes(StandardCharsets.ISO_8859_1));
        byte[] d = new byte[data.remaining()];
        data.get(d);
        out.writeBytes(d);
        return out.toByteArray();
    }

    /** numpy pads the dict so the first dimension can grow to 21 digits in place. */
    private static String growthRoom(long[] shape) {
        return shape.length == 0 ? "" : " ".repeat(21 - Long.toString(shape[0]).length());
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
