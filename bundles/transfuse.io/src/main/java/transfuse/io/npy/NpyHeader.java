package transfuse.io.npy;

import static transfuse.io.internal.Messages.quote;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;

/**
 * The preamble of an .npy file (format versions 1.0, 2.0 and 3.0): the magic {@code \x93NUMPY},
 * two version bytes, the header length (u16 in 1.0, u32 after), and a Python dict literal with
 * {@code descr}, {@code fortran_order} and {@code shape}, padded with spaces and a newline so
 * that the data starts at a multiple of 64.
 */
final class NpyHeader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /** NumPy leaves room for the first dimension to grow to this many digits without rewriting. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    final DType dtype;
    final long[] shape;
    final long dataStart;

    private NpyHeader(DType dtype, long[] shape, long dataStart) {
        this.dtype = dtype;
        this.shape = shape;
        this.dataStart = dataStart;
    }

    /** Reads and validates the preamble; messages are one line starting with {@code file}. */
    static NpyHeader read(FileChannel channel, String file) throws IOException {
        long size = channel.size();
        if (size < 10) {
            throw new TransfuseException(file + ": file is " + size + " bytes, too short for an .npy header");
        }
        ByteBuffer start = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, start.limit((int) Math.min(12, size)), 0);
        if (!Arrays.equals(Arrays.copyOf(start.array(), MAGIC.length), MAGIC)) {
            throw new TransfuseException(file + ": not an .npy file (it does not start with \\x93NUMPY)");
        }
        int major = start.get(6);
        int minor = start.get(7);
        if (minor != 0 || major < 1 || major > 3) {
            throw new TransfuseException(file + ": unsupported .npy format version " + (major & 0xff) + "."
                    + (minor & 0xff) + " (supported: 1.0, 2.0, 3.0)");
        }
        int prefix = major == 1 ? 10 : 12;
        if (size < prefix) {
            throw new TransfuseException(file + ": file is " + size + " bytes, too short for an .npy header");
        }
        long headerLength = major == 1 ? start.getShort(8) & 0xffff : start.getInt(8) & 0xffffffffL;
        if (headerLength > size - prefix) {
            throw new TransfuseException(file + ": header length " + headerLength
                    + " is larger than the rest of the file (" + (size - prefix) + " bytes)");
        }
        ByteBuffer header = ByteBuffer.allocate((int) headerLength);
        readFully(channel, header, prefix);
        // Versions 1 and 2 store the dict in latin-1, version 3 in UTF-8.
        String text = new String(header.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Object literal;
        try {
            literal = PythonLiteral.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TransfuseException(file + ": header is not a Python literal: " + e.getMessage());
        }
        return fromDict(literal, file, prefix + headerLength);
    }

    private static NpyHeader fromDict(Object literal, String file, long dataStart) {
        if (!(literal instanceof Map<?, ?> dict)) {
            throw new TransfuseException(file + ": header is not a dict");
        }
        for (String key : KEYS) {
            if (!dict.containsKey(key)) {
                throw new TransfuseException(file + ": header has no '" + key + "'");
            }
        }
        for (Object key : dict.keySet()) {
            if (!KEYS.contains(key)) {
                throw new TransfuseException(file + ": header has an unexpected key " + quote((String) key));
            }
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new TransfuseException(file + ": header 'descr' must be a string such as '<f8'");
        }
        DType dtype = NpyDescr.dtype(descr);
        if (dtype == null) {
            String why = descr.startsWith(">") ? "big-endian data is not supported" : "unsupported";
            throw new TransfuseException(file + ": descr " + quote(descr) + ": " + why + " (supported: "
                    + NpyDescr.supported() + ")");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new TransfuseException(file + ": header 'fortran_order' must be True or False");
        }
        if (fortran) {
            throw new TransfuseException(file + ": fortran_order True (column-major) is not supported;"
                    + " save a C-order array (numpy.ascontiguousarray)");
        }
        long[] shape = shape(dict.get("shape"));
        if (shape == null) {
            throw new TransfuseException(file + ": header 'shape' must be a tuple of non-negative integers");
        }
        return new NpyHeader(dtype, shape, dataStart);
    }

    private static long[] shape(Object value) {
        if (!(value instanceof List<?> dims)) {
            return null;
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                return null;
            }
            shape[i] = d;
        }
        return shape;
    }

    /** The preamble NumPy's {@code np.save} writes for a C-order array, byte for byte. */
    static ByteBuffer encode(DType dtype, long[] shape) {
        StringBuilder dict = new StringBuilder("{'descr': '").append(NpyDescr.descr(dtype))
                .append("', 'fortran_order': False, 'shape': ").append(tupleText(shape)).append(", }");
        if (shape.length > 0) {
            dict.append(" ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length())));
        }
        int major = 1;
        int padded = paddedLength(dict.length(), 10);
        if (padded > 0xffff) {
            major = 2;
            padded = paddedLength(dict.length(), 12);
        }
        int prefix = major == 1 ? 10 : 12;
        ByteBuffer out = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            out.putShort((short) padded);
        } else {
            out.putInt(padded);
        }
        out.put(dict.toString().getBytes(StandardCharsets.ISO_8859_1));
        while (out.remaining() > 1) {
            out.put((byte) ' ');
        }
        return out.put((byte) '\n').flip();
    }

    /** Header length after padding, computed as NumPy does (it adds a full 64 when already aligned). */
    private static int paddedLength(int dictLength, int prefix) {
        int withNewline = dictLength + 1;
        return withNewline + ALIGNMENT - (prefix + withNewline) % ALIGNMENT;
    }

    /** Python's repr of a tuple: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String tupleText(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return b.append(')').toString();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("file ended while reading its header");
            }
        }
    }
}
