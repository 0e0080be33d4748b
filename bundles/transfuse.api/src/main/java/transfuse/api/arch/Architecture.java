package transfuse.api.arch;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;

/**
 * One model family (ViT, BERT). Registered as a service whose {@link #name()} equals the HF
 * {@code model_type} it reads; the engine finds it by the {@code model_type} of a model's
 * {@code config.json}.
 */
@ConsumerType
public interface Architecture extends Plugin {
    /**
     * Declares the neuron spaces, tensor axes, taps and joins of the model a config describes.
     *
     * @throws transfuse.api.TransfuseException when the config is missing or has bad fields
     */
    ModelGraph graph(ModelConfig config);
}
