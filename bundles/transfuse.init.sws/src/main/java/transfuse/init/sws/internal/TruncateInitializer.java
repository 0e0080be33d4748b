package transfuse.init.sws.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.init.InitRequest;
import transfuse.api.init.Initializer;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.LayerSchedule;

/**
 * {@code truncate}: D evenly spaced layers of a full model (e.g. the ancestor), by default
 * {@link LayerSchedule#evenlySpaced}{@code (L, D)}; the rest of the model copied.
 */
@Component(service = Initializer.class, property = Plugin.NAME_PROPERTY + "=truncate")
public final class TruncateInitializer implements Initializer {
    @Override
    public String name() {
        return "truncate";
    }

    @Override
    public String description() {
        return "evenly spaced layers of a full model (e.g. the ancestor)";
    }

    @Override
    public Map<String, Tensor> initialize(InitRequest r) {
        int from = r.source().getInt(LayerReindexing.DEPTH_FIELD);
        int depth = Reindexing.depth(r);
        if (r.layersSource() == null && depth > from) {
            throw new TransfuseException("truncate keeps layers of a " + from + "-layer model; depth " + depth
                    + " is deeper");
        }
        return Reindexing.apply(r, r.layersSource() != null ? r.layersSource() : LayerSchedule.evenlySpaced(from, depth));
    }

    /** Without the architecture the layers cannot be declared: callers pass an {@link InitRequest}. */
    @Override
    public Map<String, Tensor> initialize(ModelConfig source, Map<String, Tensor> weights, ModelConfig target,
                                          long seed) {
        throw new TransfuseException("the truncate initializer needs the architecture: call it with an InitRequest");
    }
}
