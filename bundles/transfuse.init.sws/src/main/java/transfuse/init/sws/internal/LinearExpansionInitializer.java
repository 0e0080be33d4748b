package transfuse.init.sws.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.init.InitRequest;
import transfuse.api.init.Initializer;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.Learngene;

/**
 * {@code tleg}: TLEG's linear expansion (Xia et al., AAAI 2024). The source is a 2-layer model
 * whose layer 0 holds W_base and layer 1 W_Δ; layer l = 1..D of the descendant gets
 * {@code W_base + (l / D) · W_Δ} for every layer tensor, the rest of the model copied. A learngene
 * trained that way is not built yet; any 2-layer model of the architecture fits the contract.
 */
@Component(service = Initializer.class, property = Plugin.NAME_PROPERTY + "=tleg")
public final class LinearExpansionInitializer implements Initializer {
    @Override
    public String name() {
        return "tleg";
    }

    @Override
    public String description() {
        return "TLEG linear expansion: layer l = W_base + (l/D) W_delta from a 2-layer (base, delta) model";
    }

    @Override
    public Map<String, Tensor> initialize(InitRequest r) {
        ModelConfig source = Learngene.withoutField(r.source());
        if (source.getInt(LayerReindexing.DEPTH_FIELD) != 2) {
            throw new TransfuseException(source.source() + ": tleg expands a 2-layer model (W_base, W_delta); this one has "
                    + source.getInt(LayerReindexing.DEPTH_FIELD) + " layers");
        }
        if (r.layersSource() != null) {
            throw new TransfuseException("the tleg initializer takes no layers source: every layer mixes both");
        }
        int depth = Reindexing.depth(r);
        ModelGraph from = r.architecture().graph(source);
        ModelGraph to = r.architecture().graph(r.target());
        int[] zeros = new int[depth];
        int[] ones = new int[depth];
        Arrays.fill(ones, 1);
        Map<String, Tensor> base = LayerReindexing.weights(from, to, r.weights(), zeros);
        Map<String, Tensor> delta = LayerReindexing.weights(from, to, r.weights(), ones);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec t : to.tensors()) {
            int layer = to.layerOfTensor(t.name());
            out.put(t.name(), layer < 0 ? base.get(t.name())
                    : combine(base.get(t.name()), delta.get(t.name()), (layer + 1) / (double) depth));
        }
        r.architecture().validate(r.target(), out);
        return out;
    }

    /** base + c · delta, elementwise in float32. */
    private static Tensor combine(Tensor base, Tensor delta, double c) {
        float[] b = base.toFloats();
        float[] d = delta.toFloats();
        float[] out = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (float) (b[i] + c * d[i]);
        }
        return Tensor.ofFloats(base.shape(), out);
    }

    /** Without the architecture the layers cannot be declared: callers pass an {@link InitRequest}. */
    @Override
    public Map<String, Tensor> initialize(ModelConfig source, Map<String, Tensor> weights, ModelConfig target,
                                          long seed) {
        throw new TransfuseException("the tleg initializer needs the architecture: call it with an InitRequest");
    }
}
