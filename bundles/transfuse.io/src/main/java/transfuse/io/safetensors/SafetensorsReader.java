package transfuse.io.safetensors;

import static transfuse.io.internal.Messages.quote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;
import transfuse.io.internal.IoFailures;

/**
 * An open safetensors file. Opening reads and validates only the header; each tensor's bytes
 * are memory-mapped when asked for, one mapping per tensor, so files of any size can be listed
 * and read without holding them on the heap. A single mapping holds at most 2 GiB: larger
 * tensors are read through {@link #window} or {@link #copyTo}.
 *
 * <p>Tensors stay valid after {@link #close()} (a mapping does not depend on its channel), but
 * the file must not be rewritten in place while they are used: truncating a mapped file makes
 * reads fail. Transfuse's writers replace files by renaming, which is safe. Safe for concurrent
 * use by several threads.
 */
public final class SafetensorsReader implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final Map<String, SafetensorsEntry> byName;

    private SafetensorsReader(Path file, FileChannel channel, SafetensorsHeader header) {
        this.file = file;
        this.channel = channel;
        this.header = header;
        this.byName = new LinkedHashMap<>();
        for (SafetensorsEntry e : header.entries) {
            byName.put(e.name(), e);
        }
    }

    /**
     * Opens a file and validates its header.
     *
     * @throws TransfuseException one line naming the file and its defect, or a missing file
     */
    public static SafetensorsReader open(Path file) {
        if (Files.isDirectory(file)) {
            throw new TransfuseException(file + ": is a directory, expected a .safetensors file");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            return new SafetensorsReader(file, channel, SafetensorsHeader.read(channel, file.toString()));
        } catch (IOException e) {
            closeQuietly(channel);
            throw IoFailures.of(file, e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Every tensor in file order (ascending data offsets). */
    public List<SafetensorsEntry> entries() {
        return header.entries;
    }

    /** The {@code __metadata__} strings in file order; empty when the file has none. */
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** The absolute file offset where the data region (and tensor offset 0) begins. */
    public long dataStart() {
        return header.dataStart;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** @throws TransfuseException if the file has no tensor of that name */
    public SafetensorsEntry entry(String name) {
        SafetensorsEntry e = byName.get(name);
        if (e == null) {
            throw new TransfuseException(file + ": no tensor " + quote(name));
        }
        return e;
    }

    /**
     * The tensor, its buffer a read-only mapping of the file that is paged in as it is read.
     *
     * @throws TransfuseException if there is no such tensor or it is larger than 2 GiB
     */
    public Tensor tensor(String name) {
        SafetensorsEntry e = entry(name);
        if (e.byteSize() > Integer.MAX_VALUE) {
            throw new TransfuseException(file + ": tensor " + quote(name) + " holds " + e.byteSize()
                    + " bytes, more than one buffer can address (2 GiB); read it in windows");
        }
        return new Tensor(e.dtype(), e.shape(), map(e.begin(), e.byteSize()));
    }

    /**
     * A read-only little-endian mapping of {@code length} bytes of a tensor, from {@code offset}
     * bytes into it: the way to read tensors larger than 2 GiB.
     */
    public ByteBuffer window(String name, long offset, int length) {
        SafetensorsEntry e = entry(name);
        if (offset < 0 || length < 0 || offset > e.byteSize() - length) {
            throw new IndexOutOfBoundsException("window [" + offset + ", +" + length + ") outside tensor "
                    + quote(name) + " of " + e.byteSize() + " bytes");
        }
        return map(e.begin() + offset, length);
    }

    /** Writes a tensor's raw bytes to a channel; from file to file the kernel does the copy. */
    public void copyTo(String name, WritableByteChannel out) throws IOException {
        SafetensorsEntry e = entry(name);
        checkOpen();
        long position = header.dataStart + e.begin();
        long remaining = e.byteSize();
        while (remaining > 0) {
            long n = channel.transferTo(position, remaining, out);
            if (n <= 0) {
                throw new IOException(file + ": file ended inside tensor " + quote(name));
            }
            position += n;
            remaining -= n;
        }
    }

    private ByteBuffer map(long begin, long length) {
        checkOpen();
        if (length == 0) {
            return ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart + begin, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException ex) {
            throw IoFailures.of(file, ex);
        }
    }

    private void checkOpen() {
        if (!channel.isOpen()) {
            throw new IllegalStateException(file + ": reader is closed");
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    /** Closing a read-only channel cannot lose data, so its failure is not worth reporting. */
    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // see above
            }
        }
    }

    @Override
    public String toString() {
        return "SafetensorsReader[" + file + ", " + header.entries.size() + " tensors]";
    }
}
