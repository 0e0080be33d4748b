package transfuse.fusion.internal;

/**
 * Applies a map along one axis of a C-order tensor:
 * {@code out[o, i, r] = sum_j map[i, j] * in[o, j, r]}, the axis growing or shrinking from
 * {@code map.cols()} to {@code map.rows()}.
 */
public final class AxisTransport {
    private AxisTransport() {
    }

    /** @return the transported values; {@code shape[axis]} is updated in place to {@code map.rows()} */
    public static double[] apply(double[] in, long[] shape, int axis, TransportMap map) {
        if (shape[axis] != map.cols()) {
            throw new IllegalArgumentException("axis " + axis + " has size " + shape[axis] + ", map takes " + map.cols());
        }
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < axis; i++) {
            outer = Math.multiplyExact(outer, (int) shape[i]);
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner = Math.multiplyExact(inner, (int) shape[i]);
        }
        int n = map.cols();
        int m = map.rows();
        shape[axis] = m;
        if (outer == 1) {
            return Gemm.mul(map, in, n, inner, false);
        }
        if (inner == 1) {
            return Gemm.mulTransposed(in, outer, n, map);
        }
        double[] out = new double[Math.multiplyExact(outer, m * inner)];
        double[] block = new double[n * inner];
        for (int o = 0; o < outer; o++) {
            System.arraycopy(in, o * n * inner, block, 0, n * inner);
            double[] r = Gemm.mul(map, block, n, inner, false);
            System.arraycopy(r, 0, out, o * m * inner, m * inner);
        }
        return out;
    }

    /** Moves one axis to the front and flattens the rest: {@code [shape[axis], everything else]}. */
    public static double[] axisFirst(double[] in, long[] shape, int axis) {
        int outer = 1;
        int inner = 1;
        for (int i = 0; i < axis; i++) {
            outer *= (int) shape[i];
        }
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= (int) shape[i];
        }
        int n = (int) shape[axis];
        if (outer == 1) {
            return in;
        }
        double[] out = new double[in.length];
        int rowLen = outer * inner;
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < inner; r++) {
                    out[i * rowLen + o * inner + r] = in[(o * n + i) * inner + r];
                }
            }
        }
        return out;
    }
}
