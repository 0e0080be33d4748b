package transfuse.io.safetensors;

import static transfuse.io.internal.Messages.quote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import transfuse.api.tensor.Tensor;
import transfuse.io.internal.AtomicFile;
import transfuse.io.internal.Channels;

/**
 * Writes safetensors files by streaming: the header is built from the tensors' names, types and
 * shapes, then each tensor's bytes are produced in turn, so files of many gigabytes never sit in
 * memory. The target is replaced atomically; on failure it is left as it was.
 *
 * <p>Tensors are stored in the order given, in the header and in the data region, without gaps.
 * (HF's Python writer reorders them by element size and name; readers do not depend on the
 * order, and keeping the caller's order keeps related tensors together.) The JSON header is
 * compact, with {@code __metadata__} first when there is any, and padded with spaces so that the
 * data starts at an offset that is a multiple of 8. The same input always gives the same bytes.
 *
 * <p>A tensor starts at a multiple of its element size only if the tensors before it keep it so,
 * e.g. an I64 tensor after an F32 tensor of odd length does not. Zero-copy loaders (PyTorch
 * viewing the bytes as its dtype) need that alignment; {@link #alignedOrder} provides it.
 */
public final class SafetensorsWriter {
    private SafetensorsWriter() {
    }

    /**
     * @param metadata the {@code __metadata__} strings, written in iteration order; omitted when empty
     * @throws IllegalArgumentException if two tensors share a name, or one is named {@code __metadata__}
     * @throws IllegalStateException    if a tensor's producer writes a different number of bytes
     *                                  than its type and shape need
     */
    public static void write(Path target, List<TensorSource> tensors, Map<String, String> metadata) {
        List<TensorSource> order = List.copyOf(tensors);
        ByteBuffer header = SafetensorsHeader.encode(order, metadata);
        AtomicFile.write(target, out -> {
            Channels.writeFully(out, header);
            for (TensorSource t : order) {
                writeTensor(out, t);
            }
        });
    }

    /** Tensors already in memory, in the map's iteration order (use a {@code LinkedHashMap}). */
    public static void write(Path target, Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<TensorSource> sources = new ArrayList<>(tensors.size());
        tensors.forEach((name, tensor) -> sources.add(TensorSource.of(name, tensor)));
        write(target, sources, metadata);
    }

    /**
     * The tensors reordered by element size, largest first, keeping the given order among equal
     * sizes: then every tensor starts at a multiple of its element size, as HF's order ensures.
     */
    public static List<TensorSource> alignedOrder(List<TensorSource> tensors) {
        List<TensorSource> sorted = new ArrayList<>(tensors);
        sorted.sort(Comparator.comparingInt((TensorSource t) -> t.dtype().bytes()).reversed());
        return sorted;
    }

    /** Counts by the channel position, which also sees bytes the kernel copied in (transferTo). */
    private static void writeTensor(FileChannel out, TensorSource t) throws IOException {
        long start = out.position();
        t.bytes().writeTo(out);
        long written = out.position() - start;
        if (written != t.byteSize()) {
            throw new IllegalStateException("tensor " + quote(t.name()) + ": wrote " + written + " bytes but "
                    + t.dtype() + SafetensorsEntry.shapeText(t.shape()) + " needs " + t.byteSize());
        }
    }
}
