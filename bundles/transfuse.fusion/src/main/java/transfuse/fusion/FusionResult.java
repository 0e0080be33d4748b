package transfuse.fusion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a fusion did.
 *
 * @param out             the output model directory
 * @param options         the options, defaults filled in
 * @param models          the input model directories, anchor first
 * @param spaces          per model and space: how it was aligned, solver figures, seconds
 * @param samples         samples whose activations were compared (0 without activations)
 * @param layers          per model after the anchor, how {@code --depth-align} matched its layers (else empty)
 * @param evidenceSeconds time spent on forward passes and correlation sums
 * @param seconds         wall time of the whole fusion
 */
public record FusionResult(Path out, FusionOptions options, List<String> models, List<SpaceStat> spaces,
                           List<LayerMap> layers, int samples, double evidenceSeconds, double seconds) {
    public FusionResult {
        models = List.copyOf(models);
        spaces = List.copyOf(spaces);
        layers = List.copyOf(layers);
    }

    /** @param withTimes false for the reproducible record kept in config.json */
    public Map<String, Object> toJson(boolean withTimes) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (withTimes) {
            m.put("out", out.toString());
        }
        m.put("models", models);
        m.put("options", options.toMap());
        m.put("function_preserving", options.functionPreserving());
        m.put("samples", samples);
        if (!layers.isEmpty()) {
            List<Object> d = new ArrayList<>();
            for (LayerMap l : layers) {
                d.add(l.toJson());
            }
            m.put("depth_alignment", d);
        }
        if (withTimes) {
            m.put("evidence_seconds", evidenceSeconds);
            m.put("seconds", seconds);
        }
        List<Object> s = new ArrayList<>();
        for (SpaceStat st : spaces) {
            s.add(st.toJson(withTimes));
        }
        m.put("spaces", s);
        return m;
    }
}
