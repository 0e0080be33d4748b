package transfuse.arch.vit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import transfuse.api.arch.TokenWindow;
import transfuse.api.tensor.Tensor;
import transfuse.nn.TapRecorder;

/** Accumulates the requested taps over batches as rows [kept tokens of each sample, size]. */
final class TapCollector implements TapRecorder {
    private final Set<String> wanted;
    private final TokenWindow window;
    private final Map<String, FloatRows> rows = new LinkedHashMap<>();

    TapCollector(Set<String> wanted, TokenWindow window) {
        this.wanted = wanted;
        this.window = window;
    }

    @Override
    public boolean wants(String tap) {
        return wanted.contains(tap);
    }

    @Override
    public void record(String tap, NDArray a) {
        long t = a.getShape().get(1);
        long from = Math.min(window.from(), t);
        long to = Math.min(window.to(), t);
        if (from >= to) {
            throw new transfuse.api.TransfuseException("token window [" + window.from() + ", " + window.to()
                    + ") keeps no token of sequences of length " + t);
        }
        NDArray kept = from == 0 && to == t ? a : a.get(new NDIndex(":, {}:{}, :", from, to));
        long width = a.getShape().get(2);
        rows.computeIfAbsent(tap, k -> new FloatRows(width)).add(kept.reshape(-1, width).toFloatArray());
    }

    Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        rows.forEach((tap, r) -> out.put(tap, r.toTensor()));
        return out;
    }

    /** A growable float buffer of fixed-width rows. */
    private static final class FloatRows {
        private final long width;
        private float[] data = new float[1024];
        private int used;

        FloatRows(long width) {
            this.width = width;
        }

        void add(float[] values) {
            if (used + values.length > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, used + values.length));
            }
            System.arraycopy(values, 0, data, used, values.length);
            used += values.length;
        }

        Tensor toTensor() {
            return Tensor.ofFloats(new long[] {used / width, width}, java.util.Arrays.copyOf(data, used));
        }
    }
}
