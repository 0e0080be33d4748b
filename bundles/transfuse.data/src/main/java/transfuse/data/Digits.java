package transfuse.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.data.Split;

/** sklearn's optdigits CSV (64 pixel values 0..16, then the label); 80/20 split after a fixed shuffle. */
final class Digits {
    static final String NAME = "digits";
    static final long SHUFFLE_SEED = 1797;
    static final List<String> CLASSES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final String ATTRIBUTION = "UCI optdigits via scikit-learn 1.2.1 (digits.csv.gz), BSD-3-Clause";

    private Digits() {
    }

    static ImageSet load(DataSource source, Split split) throws IOException {
        List<byte[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream in = source.open("digits.csv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 65) {
                    throw new TransfuseException(source.describe() + " line " + lineNo + ": " + f.length
                            + " columns, expected 65 (64 pixels and the label)");
                }
                byte[] px = new byte[64];
                for (int i = 0; i < 64; i++) {
                    double v = parse(f[i], source, lineNo);
                    if (v < 0 || v > 16) {
                        throw new TransfuseException(source.describe() + " line " + lineNo + ": pixel " + v + " outside 0..16");
                    }
                    px[i] = (byte) Math.round(v);
                }
                int label = (int) parse(f[64], source, lineNo);
                if (label < 0 || label > 9) {
                    throw new TransfuseException(source.describe() + " line " + lineNo + ": label " + label + " outside 0..9");
                }
                rows.add(px);
                labels.add(label);
            }
        }
        int n = rows.size();
        int[] order = Shuffled.order(n, SHUFFLE_SEED);
        int trainSize = (int) Math.round(n * 0.8);
        int from = split == Split.TRAIN ? 0 : trainSize;
        int to = split == Split.TRAIN ? trainSize : n;
        byte[] pixels = new byte[(to - from) * 64];
        int[] out = new int[to - from];
        for (int i = from; i < to; i++) {
            System.arraycopy(rows.get(order[i]), 0, pixels, (i - from) * 64, 64);
            out[i - from] = labels.get(order[i]);
        }
        return new ImageSet(NAME, split, pixels, out, to - from, new long[] {1, 8, 8}, 16f, CLASSES, ATTRIBUTION);
    }

    private static double parse(String s, DataSource source, int lineNo) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new TransfuseException(source.describe() + " line " + lineNo + ": not a number '" + s + "'");
        }
    }
}
