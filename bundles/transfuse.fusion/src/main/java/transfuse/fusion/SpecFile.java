package transfuse.fusion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;

/**
 * A fusion spec file: the command-line keys as flat YAML, {@code key: value} per line, lists as
 * {@code [a, b]} or as {@code - item} lines under the key, {@code #} comments. Just that subset
 * (a spec is flat), parsed by hand so the engine needs no YAML library:
 * <pre>
 * models: [runs/vitA, runs/vitB]
 * method: ot
 * solver: emd
 * data: fashion-mnist:500
 * out: runs/fused
 * </pre>
 */
public final class SpecFile {
    private SpecFile() {
    }

    /** @return every key with its values (one for scalars) */
    public static Map<String, List<String>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TransfuseException(file + ": cannot read spec (" + e.getMessage() + ")");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        String listKey = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i));
            if (line.isBlank() || line.trim().equals("---")) {
                continue;
            }
            String where = file + ":" + (i + 1);
            String t = line.trim();
            if (t.startsWith("- ") || t.equals("-")) {
                if (listKey == null) {
                    throw new TransfuseException(where + ": list item outside a list");
                }
                out.get(listKey).add(unquote(t.substring(1).trim()));
                continue;
            }
            if (Character.isWhitespace(line.charAt(0))) {
                throw new TransfuseException(where + ": nested values are not supported (a spec is flat key: value)");
            }
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw new TransfuseException(where + ": expected 'key: value', found '" + t + "'");
            }
            String key = t.substring(0, colon).trim();
            String value = t.substring(colon + 1).trim();
            if (out.containsKey(key)) {
                throw new TransfuseException(where + ": key '" + key + "' given twice");
            }
            List<String> values = new ArrayList<>();
            out.put(key, values);
            listKey = null;
            if (value.isEmpty()) {
                listKey = key;
            } else if (value.startsWith("[")) {
                if (!value.endsWith("]")) {
                    throw new TransfuseException(where + ": unclosed list for '" + key + "'");
                }
                for (String item : value.substring(1, value.length() - 1).split(",")) {
                    if (!item.isBlank()) {
                        values.add(unquote(item.trim()));
                    }
                }
            } else {
                values.add(unquote(value));
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' || c == '\'') {
                quoted = !quoted;
            } else if (c == '#' && !quoted && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
