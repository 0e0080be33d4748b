package transfuse.probe;

import java.util.Locale;

import transfuse.api.TransfuseException;

/**
 * How the linear probe turns a last hidden state [N, T, d] into one vector per example.
 * {@code mean}: the mean over the example's real tokens (those with {@code attention_mask} 1;
 * every position when the model takes no mask, as ViT); for BERT that includes [CLS] and [SEP],
 * as sentence-transformers' mean pooling does. {@code cls}: position 0 ([CLS] for BERT, the
 * class token for ViT).
 */
public enum Pooling {
    MEAN, CLS;

    /** @throws TransfuseException for anything but {@code mean} or {@code cls} */
    public static Pooling parse(String s) {
        return switch (s) {
            case "mean" -> MEAN;
            case "cls" -> CLS;
            default -> throw new TransfuseException("option --pool: '" + s + "' is not one of mean, cls");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param hidden row-major [n, t, d]
     * @param mask   row-major [n, t], non-zero for real tokens; null: every position is real
     * @return row-major [n, d]
     */
    float[] pool(float[] hidden, double[] mask, int n, int t, int d) {
        float[] out = new float[n * d];
        double[] acc = new double[d];
        for (int i = 0; i < n; i++) {
            if (this == CLS) {
                System.arraycopy(hidden, i * t * d, out, i * d, d);
                continue;
            }
            java.util.Arrays.fill(acc, 0);
            int count = 0;
            for (int p = 0; p < t; p++) {
                if (mask != null && mask[i * t + p] == 0) {
                    continue;
                }
                count++;
                int base = (i * t + p) * d;
                for (int j = 0; j < d; j++) {
                    acc[j] += hidden[base + j];
                }
            }
            for (int j = 0; j < d; j++) {
                out[i * d + j] = count == 0 ? 0f : (float) (acc[j] / count);
            }
        }
        return out;
    }
}
