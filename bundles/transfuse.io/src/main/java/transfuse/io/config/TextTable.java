package transfuse.io.config;

import java.util.ArrayList;
import java.util.List;

import transfuse.io.safetensors.SafetensorsEntry;

/** The tensor table of {@code inspect}: left-aligned text columns, right-aligned byte counts. */
final class TextTable {
    private static final String[] HEADINGS = {"name", "dtype", "shape", "bytes"};

    private TextTable() {
    }

    static String render(List<SafetensorsEntry> tensors) {
        List<String[]> rows = new ArrayList<>(tensors.size() + 1);
        rows.add(HEADINGS);
        for (SafetensorsEntry e : tensors) {
            rows.add(new String[] {e.name(), e.dtype().safetensorsName(), e.shapeText(), Long.toString(e.byteSize())});
        }
        int[] width = new int[HEADINGS.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length - 1; c++) {
                out.append(row[c]).append(" ".repeat(width[c] - row[c].length() + 2));
            }
            int last = row.length - 1;
            out.append(" ".repeat(width[last] - row[last].length())).append(row[last]).append('\n');
        }
        return out.toString();
    }
}
