package transfuse.init.sws.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.init.InitRequest;
import transfuse.api.init.Initializer;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;

/** {@code random}: the architecture's own initialization of the target, a pure function of (config, seed). */
@Component(service = Initializer.class, property = Plugin.NAME_PROPERTY + "=random")
public final class RandomInitializer implements Initializer {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "the architecture's own initialization (the from-scratch baseline)";
    }

    @Override
    public Map<String, Tensor> initialize(InitRequest r) {
        if (r.layersSource() != null) {
            throw new TransfuseException("the random initializer copies no layers; it takes no layers source");
        }
        return r.architecture().initialize(r.target(), r.seed());
    }

    /** Without the architecture there is no initialization to run: callers pass an {@link InitRequest}. */
    @Override
    public Map<String, Tensor> initialize(ModelConfig source, Map<String, Tensor> weights, ModelConfig target,
                                          long seed) {
        throw new TransfuseException("the random initializer needs the architecture: call it with an InitRequest");
    }
}
