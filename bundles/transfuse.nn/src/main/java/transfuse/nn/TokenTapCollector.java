package transfuse.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import ai.djl.ndarray.NDArray;
import transfuse.api.arch.TokenWindow;
import transfuse.api.tensor.Tensor;

/**
 * Accumulates the requested taps over batches as rows [kept tokens, size]. A token is kept when
 * its position is inside the window and it is not padding: padded positions carry no text, so
 * aligning neurons on them would only add noise. Taps of one row per sample (the pooler) keep
 * that row. Shared by the text architectures (BERT, a deployed Llama).
 */
public final class TokenTapCollector implements TapRecorder {
    private final Set<String> wanted;
    private final TokenWindow window;
    private final Map<String, Rows> rows = new LinkedHashMap<>();
    private int[] lengths;

    public TokenTapCollector(Set<String> wanted, TokenWindow window) {
        this.wanted = wanted;
        this.window = window;
    }

    /** The unpadded length of each sample of the batch about to run. */
    public void batch(int[] lengths) {
        this.lengths = lengths;
    }

    @Override
    public boolean wants(String tap) {
        return wanted.contains(tap);
    }

    @Override
    public void record(String tap, NDArray a) {
        long[] s = a.getShape().getShape();
        int t = (int) s[1], width = (int) s[2];
        float[] v = a.toFloatArray();
        Rows r = rows.computeIfAbsent(tap, k -> new Rows(width));
        for (int b = 0; b < s[0]; b++) {
            int from = t == 1 ? 0 : Math.min(window.from(), lengths[b]);
            int to = t == 1 ? 1 : Math.min(window.to(), lengths[b]);
            for (int p = from; p < to; p++) {
                r.add(v, (b * t + p) * width);
            }
        }
    }

    /** The collected taps, one [kept tokens, size] tensor each, in the order first recorded. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        rows.forEach((tap, r) -> {
            if (r.used == 0) {
                throw new transfuse.api.TransfuseException("token window [" + window.from() + ", " + window.to()
                        + ") keeps no token of the inputs");
            }
            out.put(tap, r.toTensor());
        });
        return out;
    }

    /** A growable float buffer of fixed-width rows. */
    private static final class Rows {
        private final int width;
        private float[] data = new float[1024];
        private int used;

        Rows(int width) {
            this.width = width;
        }

        void add(float[] src, int offset) {
            if (used + width > data.length) {
                data = java.util.Arrays.copyOf(data, Math.max(data.length * 2, used + width));
            }
            System.arraycopy(src, offset, data, used, width);
            used += width;
        }

        Tensor toTensor() {
            return Tensor.ofFloats(new long[] {used / width, width}, java.util.Arrays.copyOf(data, used));
        }
    }
}
