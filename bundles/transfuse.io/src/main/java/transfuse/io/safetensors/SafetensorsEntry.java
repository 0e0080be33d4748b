package transfuse.io.safetensors;

import java.util.Arrays;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/**
 * One tensor of a safetensors header: name, element type, shape (C order) and the byte range
 * {@code [begin, end)} it occupies, relative to the start of the data region (as stored in the
 * file's {@code data_offsets}).
 */
public record SafetensorsEntry(String name, DType dtype, long[] shape, long begin, long end) {
    public SafetensorsEntry {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long numel() {
        return Tensor.numel(shape);
    }

    public long byteSize() {
        return end - begin;
    }

    /** The shape as in messages and tables, e.g. {@code [2,3]}. */
    public String shapeText() {
        return shapeText(shape);
    }

    /** The type and shape as in messages and tables, e.g. {@code F32[2,3]}. */
    public String typeAndShape() {
        return dtype + shapeText(shape);
    }

    static String shapeText(long[] shape) {
        return Arrays.toString(shape).replace(" ", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SafetensorsEntry e && e.name.equals(name) && e.dtype == dtype
                && Arrays.equals(e.shape, shape) && e.begin == begin && e.end == end;
    }

    @Override
    public int hashCode() {
        return (name.hashCode() * 31 + Arrays.hashCode(shape)) * 31 + Long.hashCode(begin);
    }

    @Override
    public String toString() {
        return name + " " + typeAndShape() + " [" + begin + ", " + end + ")";
    }
}
