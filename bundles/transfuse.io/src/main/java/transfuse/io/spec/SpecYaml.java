package transfuse.io.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

import transfuse.api.TransfuseException;

/**
 * A spec file: a job's keys (the command's long options without the dashes) as flat YAML, read
 * by SnakeYAML's safe loader (no object construction from tags). Values are scalars or lists of
 * scalars, as an HTTP body's JSON would hold them:
 * <pre>
 * models: [runs/vitA, runs/vitB]
 * method: ot
 * solver: emd
 * data: fashion-mnist:500
 * out: runs/fused
 * </pre>
 */
public final class SpecYaml {
    /** Far above any real spec; refuses to parse a wrong file. */
    private static final long MAX_BYTES = 1L << 20;

    private SpecYaml() {
    }

    /** @throws TransfuseException one line naming the file (and line) when it is not a flat YAML mapping */
    public static Map<String, Object> read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new TransfuseException(file + ": larger than 1 MiB, not a spec file");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TransfuseException(file + ": cannot read spec (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, file.toString());
    }

    /** @param source names the text in messages */
    public static Map<String, Object> parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        Object tree;
        try {
            tree = new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            throw new TransfuseException(source + ":" + (e.getProblemMark().getLine() + 1) + ": "
                    + oneLine(e.getProblem()));
        } catch (YAMLException e) {
            throw new TransfuseException(source + ": not YAML (" + oneLine(e.getMessage()) + ")");
        }
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw new TransfuseException(source + ": a spec is a mapping of key: value, found " + kind(tree));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            out.put(key, flat(source, key, e.getValue()));
        }
        return out;
    }

    private static Object flat(String source, String key, Object v) {
        if (v instanceof List<?> list) {
            List<Object> items = new ArrayList<>();
            for (Object item : list) {
                if (item instanceof List || item instanceof Map) {
                    throw new TransfuseException(source + ": key '" + key + "' holds a nested value; a spec is flat");
                }
                items.add(item);
            }
            return items;
        }
        if (v instanceof Map) {
            throw new TransfuseException(source + ": key '" + key + "' holds a nested mapping; a spec is flat");
        }
        return v;
    }

    private static String kind(Object tree) {
        return tree instanceof List ? "a list" : "a single value";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
