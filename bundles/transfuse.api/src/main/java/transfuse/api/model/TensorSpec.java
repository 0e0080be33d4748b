package transfuse.api.model;

import java.util.Arrays;
import java.util.List;

/**
 * Where one weight tensor's axes live: {@code axisSpaces.get(i)} is the name of the neuron space
 * of axis i, or null when the axis belongs to no space (e.g. a vocabulary or patch-pixel axis).
 * A Linear weight stored [out, in] has spaces [outputSpace, inputSpace].
 */
public record TensorSpec(String name, long[] shape, List<String> axisSpaces) {
    public TensorSpec {
        if (axisSpaces.size() != shape.length) {
            throw new IllegalArgumentException("tensor " + name + ": " + shape.length
                    + " axes but " + axisSpaces.size() + " axis spaces");
        }
        shape = shape.clone();
        axisSpaces = List.copyOf(axisSpaces.stream().map(s -> s == null ? "" : s).toList());
    }

    /** The space of an axis, or null. */
    public String spaceOf(int axis) {
        String s = axisSpaces.get(axis);
        return s.isEmpty() ? null : s;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + axisSpaces;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && Arrays.equals(t.shape, shape)
                && t.axisSpaces.equals(axisSpaces);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
