package transfuse.api.arch;

import java.util.List;
import java.util.Map;

import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * A model converted from a foreign format (e.g. an ONNX encoder), ready to be written as a model
 * directory.
 *
 * @param config  the HF config, with {@code model_type} the importing architecture's name
 * @param weights float32 tensors by HF name
 * @param files   further files of the model directory by file name (e.g. {@code tokenizer.json})
 * @param notes   human-readable remarks on the conversion (what was recognised, what dropped)
 */
public record ImportedModel(ModelConfig config, Map<String, Tensor> weights, Map<String, byte[]> files,
                            List<String> notes) {
    public ImportedModel {
        weights = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(weights));
        files = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(files));
        notes = List.copyOf(notes);
    }
}
