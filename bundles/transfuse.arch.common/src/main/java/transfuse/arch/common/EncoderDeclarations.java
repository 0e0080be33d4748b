package transfuse.arch.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import transfuse.api.arch.HeadGroup;
import transfuse.api.model.TensorSpec;

/**
 * Pieces of a transformer encoder's declaration that every architecture writes the same way:
 * the axis spaces of linear and LayerNorm parameters, the per-layer attention head groups,
 * and the HF config fields of the encoder body.
 */
public final class EncoderDeclarations {
    private EncoderDeclarations() {
    }

    /** A Linear stored [out, in] as in PyTorch: weight axes (outSpace, inSpace), bias in outSpace. */
    public static void linear(List<TensorSpec> tensors, String prefix, int out, int in, String outSpace, String inSpace) {
        tensors.add(spec(prefix + ".weight", new long[] {out, in}, outSpace, inSpace));
        tensors.add(spec(prefix + ".bias", new long[] {out}, outSpace));
    }

    /** A LayerNorm over d features: scale and shift both live in the normalised stream's space. */
    public static void norm(List<TensorSpec> tensors, String prefix, int d, String space) {
        tensors.add(spec(prefix + ".weight", new long[] {d}, space));
        tensors.add(spec(prefix + ".bias", new long[] {d}, space));
    }

    /** One tensor; a null axis space means the axis belongs to no neuron space. */
    public static TensorSpec spec(String name, long[] shape, String... axisSpaces) {
        return new TensorSpec(name, shape, Arrays.asList(axisSpaces));
    }

    /** Q/K and V of layer i read head h together: {@code layer.i.attn.qk} and {@code layer.i.attn.v} move as one. */
    public static List<HeadGroup> attentionHeadGroups(int layers, int heads) {
        List<HeadGroup> groups = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            groups.add(new HeadGroup("layer." + i + ".attn", heads,
                    List.of("layer." + i + ".attn.qk", "layer." + i + ".attn.v")));
        }
        return groups;
    }

    /**
     * The HF config fields of an encoder body (no dropout: Transfuse trains without it), in HF's
     * order after {@code architectures} and {@code model_type}.
     */
    public static Map<String, Object> encoderFields(String hfClass, String modelType, int hidden, int layers,
                                                    int heads, int intermediate) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("architectures", List.of(hfClass));
        f.put("model_type", modelType);
        f.put("hidden_size", hidden);
        f.put("num_hidden_layers", layers);
        f.put("num_attention_heads", heads);
        f.put("intermediate_size", intermediate);
        f.put("hidden_act", "gelu");
        f.put("hidden_dropout_prob", 0.0);
        f.put("attention_probs_dropout_prob", 0.0);
        f.put("initializer_range", 0.02);
        f.put("layer_norm_eps", 1e-12);
        return f;
    }
}
