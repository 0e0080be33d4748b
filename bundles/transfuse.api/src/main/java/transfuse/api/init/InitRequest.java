package transfuse.api.init;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.arch.Architecture;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * Everything an initializer may need to build a new model: the architecture both models belong to
 * (so an initializer stays architecture-neutral and can declare, validate and initialize models),
 * the source model's config and tensors, the target's config, and optionally which source layer
 * each target layer starts from.
 *
 * @param architecture the architecture of source and target
 * @param source       the config of the model holding the learned parts
 * @param weights      its tensors by HF name
 * @param target       the config of the model to build (e.g. with a new {@code num_hidden_layers})
 * @param layersSource for each layer of the target the source layer it starts from, or null for
 *                     the initializer's own choice
 * @param seed         seed for whatever the source does not determine
 */
public record InitRequest(Architecture architecture, ModelConfig source, Map<String, Tensor> weights,
                          ModelConfig target, int[] layersSource, long seed) {
    public InitRequest {
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        layersSource = layersSource == null ? null : layersSource.clone();
    }

    @Override
    public int[] layersSource() {
        return layersSource == null ? null : layersSource.clone();
    }
}
