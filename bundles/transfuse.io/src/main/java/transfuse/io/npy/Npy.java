package transfuse.io.npy;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.internal.AtomicFile;
import transfuse.io.internal.Channels;
import transfuse.io.internal.IoFailures;

/**
 * Reads and writes NumPy {@code .npy} files. Reading accepts format versions 1.0 to 3.0 with
 * little-endian {@code <f8 <f4 <f2 <i8 <i4 <i2 |i1 |u1 |b1} data in C order; writing produces what
 * {@code numpy.save} produces for the same array, byte for byte, and replaces the target
 * atomically.
 */
public final class Npy {
    private Npy() {
    }

    /**
     * Reads a whole array onto the heap. (Not memory-mapped: {@code numpy.save} rewrites files in
     * place, and a mapped file truncated under a reader makes its reads fail.)
     *
     * @throws TransfuseException one line naming the file and the defect: bad magic, version,
     *                            header, type, Fortran order, shape, or truncated or extra data
     */
    public static Tensor read(Path file) {
        if (Files.isDirectory(file)) {
            throw new TransfuseException(file + ": is a directory, expected an .npy file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            NpyHeader header = NpyHeader.read(channel, file.toString());
            return new Tensor(header.dtype, header.shape, readData(channel, header, file));
        } catch (IOException e) {
            throw IoFailures.of(file, e);
        }
    }

    private static ByteBuffer readData(FileChannel channel, NpyHeader header, Path file) throws IOException {
        String typeAndShape = NpyDescr.descr(header.dtype) + " " + NpyHeader.tupleText(header.shape);
        long needed;
        try {
            needed = Math.multiplyExact(Tensor.numel(header.shape), (long) header.dtype.bytes());
        } catch (ArithmeticException e) {
            throw new TransfuseException(file + ": shape " + typeAndShape + " has more bytes than a file can hold");
        }
        long present = channel.size() - header.dataStart;
        if (present < needed) {
            throw new TransfuseException(file + ": truncated: " + present + " data bytes but " + typeAndShape
                    + " needs " + needed);
        }
        if (present > needed) {
            throw new TransfuseException(file + ": " + (present - needed) + " bytes after the data of "
                    + typeAndShape);
        }
        if (needed > Integer.MAX_VALUE) {
            throw new TransfuseException(file + ": array of " + needed + " bytes is larger than one buffer (2 GiB)");
        }
        ByteBuffer data = ByteBuffer.allocate((int) needed).order(ByteOrder.LITTLE_ENDIAN);
        while (data.hasRemaining()) {
            if (channel.read(data, header.dataStart + data.position()) < 0) {
                throw new EOFException("file ended inside the array data");
            }
        }
        return data.flip();
    }

    /**
     * Writes a tensor in its own element type.
     *
     * @throws IllegalArgumentException if NumPy has no such type (BF16)
     */
    public static void write(Path file, Tensor tensor) {
        if (NpyDescr.descr(tensor.dtype()) == null) {
            throw new IllegalArgumentException("NumPy has no " + tensor.dtype() + " type; write it as F32");
        }
        ByteBuffer header = NpyHeader.encode(tensor.dtype(), tensor.shape());
        AtomicFile.write(file, out -> {
            Channels.writeFully(out, header);
            Channels.writeFully(out, tensor.data());
        });
    }

    /**
     * Writes a tensor converted to F64 (the default for results), F32 or I64. Conversion follows
     * {@link Tensor#toDoubles()}, {@link Tensor#toFloats()} and {@link Tensor#toLongs()}.
     */
    public static void write(Path file, Tensor tensor, DType as) {
        write(file, convert(tensor, as));
    }

    private static Tensor convert(Tensor tensor, DType as) {
        if (tensor.dtype() == as) {
            return tensor;
        }
        return switch (as) {
            case F64 -> Tensor.ofDoubles(tensor.shape(), tensor.toDoubles());
            case F32 -> Tensor.ofFloats(tensor.shape(), tensor.toFloats());
            case I64 -> Tensor.ofLongs(tensor.shape(), tensor.toLongs());
            default -> throw new IllegalArgumentException("cannot convert to " + as + " (F64, F32 or I64)");
        };
    }
}
