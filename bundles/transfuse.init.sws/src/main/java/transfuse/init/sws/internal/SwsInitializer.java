package transfuse.init.sws.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.init.InitRequest;
import transfuse.api.init.Initializer;
import transfuse.api.model.ModelConfig;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.LayerSchedule;
import transfuse.init.sws.Learngene;

/**
 * {@code sws}: a descendant from a learngene, layer i a copy of stage {@code layers_source[i]}
 * (by default {@link LayerSchedule#forDepth}), embeddings, final norm and head copied.
 */
@Component(service = Initializer.class, property = Plugin.NAME_PROPERTY + "=sws")
public final class SwsInitializer implements Initializer {
    @Override
    public String name() {
        return "sws";
    }

    @Override
    public String description() {
        return "stage-wise weight sharing: each layer of a descendant copies a stage of a learngene";
    }

    @Override
    public Map<String, Tensor> initialize(InitRequest r) {
        Learngene lg = Learngene.of(r.source());
        int[] layers = r.layersSource() != null ? r.layersSource()
                : LayerSchedule.forDepth(lg.stages(), Reindexing.depth(r));
        return Reindexing.apply(r, layers);
    }

    /** Without the architecture the stage layers cannot be declared: callers pass an {@link InitRequest}. */
    @Override
    public Map<String, Tensor> initialize(ModelConfig source, Map<String, Tensor> weights, ModelConfig target,
                                          long seed) {
        throw new TransfuseException("the sws initializer needs the architecture: call it with an InitRequest");
    }
}
