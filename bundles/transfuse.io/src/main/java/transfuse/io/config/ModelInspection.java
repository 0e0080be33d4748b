package transfuse.io.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.io.json.JsonText;
import transfuse.io.safetensors.SafetensorsEntry;
import transfuse.io.safetensors.SafetensorsReader;

/**
 * What {@code transfuse inspect PATH} reports for a model directory or a .safetensors file: one
 * row per tensor (name, dtype, shape, bytes) in file order, the totals, the file's metadata and,
 * for a directory, the config summary. Only headers are read, never tensor data, so inspecting
 * a file of many gigabytes takes little memory. Both renderings are deterministic.
 */
public final class ModelInspection {
    /** What was inspected. */
    public enum Kind {
        MODEL_DIR("model directory"), SAFETENSORS("safetensors file");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        /** The JSON name: {@code model_dir} or {@code safetensors}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path path;
    private final Kind kind;
    private final List<SafetensorsEntry> tensors;
    private final Map<String, String> metadata;
    private final ModelSummary summary;

    private ModelInspection(Path path, Kind kind, List<SafetensorsEntry> tensors, Map<String, String> metadata,
            ModelSummary summary) {
        this.path = path;
        this.kind = kind;
        this.tensors = tensors;
        this.metadata = metadata;
        this.summary = summary;
    }

    /**
     * @param path a model directory (with config.json) or a .safetensors file
     * @throws TransfuseException one line naming the path and what is wrong with it
     */
    public static ModelInspection inspect(Path path) {
        if (Files.isDirectory(path)) {
            try (ModelDir dir = ModelDir.open(path)) {
                return new ModelInspection(path, Kind.MODEL_DIR, dir.tensors(), dir.weights().metadata(),
                        dir.summary());
            }
        }
        if (!Files.exists(path)) {
            throw new TransfuseException(path + ": no such file or directory");
        }
        try (SafetensorsReader reader = SafetensorsReader.open(path)) {
            return new ModelInspection(path, Kind.SAFETENSORS, reader.entries(), reader.metadata(),
                    ModelSummary.of(null, reader.entries()));
        }
    }

    public Path path() {
        return path;
    }

    public Kind kind() {
        return kind;
    }

    public List<SafetensorsEntry> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Config fields are null for a bare .safetensors file. */
    public ModelSummary summary() {
        return summary;
    }

    /**
     * The report as a JSON-ready tree: {@code path}, {@code kind}, {@code config} (the summary's
     * config fields, or null for a bare file), {@code records} (the config's {@code transfuse_*}
     * fields, e.g. a learngene's or a fusion's record), {@code metadata}, {@code tensors} (each
     * {@code name}, {@code dtype}, {@code shape}, {@code bytes}), {@code tensor_count},
     * {@code parameters} and {@code total_bytes}.
     */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("path", path.toString());
        json.put("kind", kind.jsonName());
        json.put("config", kind == Kind.MODEL_DIR ? summary.configFields() : null);
        json.put("records", summary.records());
        json.put("metadata", metadata);
        List<Map<String, Object>> rows = new ArrayList<>(tensors.size());
        for (SafetensorsEntry e : tensors) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", e.name());
            row.put("dtype", e.dtype().safetensorsName());
            row.put("shape", e.shape());
            row.put("bytes", e.byteSize());
            rows.add(row);
        }
        json.put("tensors", rows);
        json.put("tensor_count", summary.tensorCount());
        json.put("parameters", summary.parameterCount());
        json.put("total_bytes", summary.totalBytes());
        return json;
    }

    /**
     * A record for one text line: its scalars and lists of scalars as they are, anything nested
     * deeper (a fusion's per-space maps run to kilobytes) as "N items"; {@code --json} keeps it whole.
     */
    static Object headline(Object record) {
        if (!(record instanceof Map<?, ?> fields)) {
            return record;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        fields.forEach((k, v) -> line.put(String.valueOf(k), nested(v) ? items(size(v)) : v));
        return line;
    }

    private static boolean nested(Object value) {
        if (value instanceof Map<?, ?>) {
            return true;
        }
        return value instanceof List<?> list && list.stream().anyMatch(e -> e instanceof Map<?, ?> || e instanceof List<?>);
    }

    private static String items(int n) {
        return n + (n == 1 ? " item" : " items");
    }

    private static int size(Object value) {
        return value instanceof Map<?, ?> m ? m.size() : ((List<?>) value).size();
    }

    /** The report as text: a heading, the config, record and metadata lines, the table, the totals. */
    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(path).append(" (").append(kind.description).append(")\n");
        if (kind == Kind.MODEL_DIR) {
            out.append("config:");
            summary.configFields().forEach((k, v) -> out.append(' ').append(k).append('=').append(v == null ? "-" : v));
            out.append('\n');
            summary.records().forEach((k, v) -> out.append(k).append(": ").append(JsonText.line(headline(v))).append('\n'));
        }
        if (!metadata.isEmpty()) {
            out.append("metadata:");
            metadata.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
            out.append('\n');
        }
        out.append(TextTable.render(tensors));
        out.append("total: ").append(summary.tensorCount()).append(" tensors, ")
                .append(summary.parameterCount()).append(" parameters, ")
                .append(summary.totalBytes()).append(" bytes\n");
        return out.toString();
    }
}
