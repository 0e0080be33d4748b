package transfuse.io.safetensors;

import java.util.Arrays;
import java.util.Objects;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.internal.Channels;

/**
 * A tensor to be written: its header fields, known up front, and the producer of its bytes,
 * called once when the writer reaches it.
 */
public final class TensorSource {
    private final String name;
    private final DType dtype;
    private final long[] shape;
    private final long byteSize;
    private final TensorBytes bytes;

    public TensorSource(String name, DType dtype, long[] shape, TensorBytes bytes) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.shape = shape.clone();
        this.byteSize = Math.multiplyExact(Tensor.numel(shape), (long) dtype.bytes());
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /** A tensor already in memory (or mapped from another file). */
    public static TensorSource of(String name, Tensor tensor) {
        return new TensorSource(name, tensor.dtype(), tensor.shape(), out -> Channels.writeFully(out, tensor.data()));
    }

    /**
     * A tensor copied unchanged from an open reader, under the same name; works for tensors of
     * any size, which the kernel copies without passing them through the heap.
     */
    public static TensorSource copyOf(SafetensorsReader reader, String name) {
        return copyOf(reader, name, name);
    }

    /** A tensor copied unchanged from an open reader, under a new name. */
    public static TensorSource copyOf(SafetensorsReader reader, String name, String newName) {
        SafetensorsEntry e = reader.entry(name);
        return new TensorSource(newName, e.dtype(), e.shape(), out -> reader.copyTo(name, out));
    }

    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long byteSize() {
        return byteSize;
    }

    public TensorBytes bytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
