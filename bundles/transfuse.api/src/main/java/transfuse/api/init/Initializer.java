package transfuse.api.init;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/**
 * Initializes a new model from learned parts of another (e.g. SWS learngenes: descendants of
 * any depth built from a few shared layers). Registered as a service under its {@link #name()}.
 */
@ConsumerType
public interface Initializer extends Plugin {
    /**
     * @param source  the config of the model holding the learned parts
     * @param weights its tensors by HF name
     * @param target  the config of the model to build (e.g. with a new {@code num_hidden_layers})
     * @param seed    seed for whatever the source does not determine
     * @return the new model's tensors by HF name
     */
    Map<String, Tensor> initialize(ModelConfig source, Map<String, Tensor> weights, ModelConfig target, long seed);

    /**
     * Builds the target from a full request: initializers that need the architecture or a chosen
     * layer schedule (SWS, truncation) override this. The default serves initializers written
     * against {@link #initialize(ModelConfig, Map, ModelConfig, long)}, which take no schedule.
     *
     * @throws transfuse.api.TransfuseException one line naming what does not fit
     */
    default Map<String, Tensor> initialize(InitRequest request) {
        if (request.layersSource() != null) {
            throw new transfuse.api.TransfuseException("the " + name() + " initializer takes no layers source");
        }
        return initialize(request.source(), request.weights(), request.target(), request.seed());
    }
}
