package transfuse.api.arch;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.model.Layer;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.TensorSpec;
import transfuse.api.tensor.Tensor;

/**
 * Re-indexes a model's layers: given a model of depth L and, for each layer i of a new model,
 * the layer {@code sourceLayer[i]} it copies, builds the new model. A sub-list selects layers, an
 * index given twice repeats a layer, an index left out drops one; tensors of no layer (embeddings,
 * final norm, head) stay as they are. {@code fuse --depth-align} re-indexes a model to the
 * anchor's depth with it (docs/fusion.md, "Depth alignment"); growing a descendant from a few
 * shared layers is the same operation. See docs/architecture.md, "Layers".
 *
 * <p>Layer i's k-th declared tensor is the source layer's k-th tensor: layers declared by one
 * loop list corresponding tensors in the same order, and their shapes are checked. Re-indexing
 * needs layers that meet the rest of the model only through the residual stream
 * ({@link #checkSelfContained}). Tensors are immutable, so a repeated layer shares them rather
 * than copying bytes.
 */
public final class LayerReindexing {
    /** HF's depth field, shared by every architecture's config. */
    public static final String DEPTH_FIELD = "num_hidden_layers";

    /** The re-indexed model: its config (new depth), its declaration and its declared tensors. */
    public record Reindexed(ModelConfig config, ModelGraph graph, Map<String, Tensor> weights) {
        public Reindexed {
            weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        }
    }

    private LayerReindexing() {
    }

    /**
     * The model of depth {@code sourceLayer.length} whose layer i is a copy of layer
     * {@code sourceLayer[i]}, declared by the architecture and validated like a loaded model.
     * Tensors the config does not declare are left out (no layer can be told for them).
     *
     * @throws TransfuseException when the config has no {@value #DEPTH_FIELD}, an index is out of
     *         range, the layers are not self-contained or alike, or the result does not validate
     */
    public static Reindexed apply(Architecture arch, ModelConfig config, Map<String, Tensor> weights,
                                  int[] sourceLayer) {
        if (!config.has(DEPTH_FIELD)) {
            throw new TransfuseException(config.source() + ": re-indexing layers sets the depth through '"
                    + DEPTH_FIELD + "', which this config lacks");
        }
        ModelConfig target = config.with(DEPTH_FIELD, sourceLayer.length);
        ModelGraph graph = arch.graph(target);
        Map<String, Tensor> out = weights(arch.graph(config), graph, weights, sourceLayer);
        arch.validate(target, out);
        return new Reindexed(target, graph, out);
    }

    /**
     * The tensors of {@code target} (in its declaration order): layer i's from layer
     * {@code sourceLayer[i]} of {@code source}, the rest by their own names.
     *
     * @throws TransfuseException when the map does not fit the two declarations, a layer is not
     *         self-contained, two mapped layers differ in tensors or shapes, or a tensor is missing
     */
    public static Map<String, Tensor> weights(ModelGraph source, ModelGraph target, Map<String, Tensor> weights,
                                              int[] sourceLayer) {
        if (target.layers().size() != sourceLayer.length) {
            throw new TransfuseException("the new model declares " + target.layers().size() + " layers but the layer"
                    + " map has " + sourceLayer.length + " entries");
        }
        for (int i = 0; i < sourceLayer.length; i++) {
            if (sourceLayer[i] < 0 || sourceLayer[i] >= source.layers().size()) {
                throw new TransfuseException("layer " + i + " is to copy layer " + sourceLayer[i] + ", but the model"
                        + " has layers 0 .. " + (source.layers().size() - 1));
            }
        }
        checkSelfContained(source);
        checkSelfContained(target);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (TensorSpec t : target.tensors()) {
            int layer = target.layerOfTensor(t.name());
            String from = layer < 0 ? t.name()
                    : counterpart(target, layer, t, source, source.layers().get(sourceLayer[layer]));
            Tensor v = weights.get(from);
            if (v == null) {
                throw new TransfuseException("missing tensor " + from);
            }
            out.put(t.name(), v);
        }
        return out;
    }

    /** The tensor at t's position in the source layer, of t's declared shape. */
    private static String counterpart(ModelGraph target, int layer, TensorSpec t, ModelGraph source, Layer from) {
        List<String> own = target.layers().get(layer).tensors();
        if (own.size() != from.tensors().size()) {
            throw new TransfuseException("layer " + from.index() + " declares " + from.tensors().size()
                    + " tensors and the new layer " + layer + " " + own.size() + "; only alike layers can be re-indexed");
        }
        TensorSpec s = source.tensor(from.tensors().get(own.indexOf(t.name())));
        if (!Arrays.equals(s.shape(), t.shape())) {
            throw new TransfuseException("tensor " + s.name() + " has shape " + Arrays.toString(s.shape())
                    + " but its place " + t.name() + " in the new layer " + layer + " has shape "
                    + Arrays.toString(t.shape()) + "; only alike layers can be re-indexed");
        }
        return s.name();
    }

    /**
     * Checks that the layers meet the rest of the model only through the residual stream, so a
     * layer still fits when it reads another layer's output: every spaced axis of a layer's tensor
     * lies in the layer's own spaces or in the stream entering it (the stream leaving the layer
     * before, or a space of no layer for layer 0), and every spaced axis of a tensor of no layer
     * lies in a space of no layer or in the stream leaving the last layer.
     *
     * @throws TransfuseException naming the first tensor and axis that cross layers
     */
    public static void checkSelfContained(ModelGraph g) {
        int layers = g.layers().size();
        for (TensorSpec t : g.tensors()) {
            int n = g.layerOfTensor(t.name());
            for (int a = 0; a < t.shape().length; a++) {
                String s = t.spaceOf(a);
                if (s == null) {
                    continue;
                }
                int sl = g.layerOfSpace(s);
                boolean ok = n >= 0
                        ? sl == n || (n == 0 ? sl < 0 : s.equals(g.streamLeaving(n - 1)))
                        : sl < 0 || s.equals(g.streamLeaving(layers - 1));
                if (!ok) {
                    throw new TransfuseException("tensor " + t.name() + " is in " + (n >= 0 ? "layer " + n : "no layer")
                            + " but its axis " + a + " lies in space " + s + "; re-indexing layers needs layers that"
                            + " meet the rest of the model only through the residual stream");
                }
            }
        }
    }
}
