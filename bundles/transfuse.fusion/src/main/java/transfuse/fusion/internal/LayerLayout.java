package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import transfuse.api.TransfuseException;
import transfuse.api.model.Join;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.NeuronSpace;
import transfuse.api.model.Tap;
import transfuse.api.model.TensorSpec;

/**
 * The layers of a model, read from its declaration. The API has no notion of a layer, so the
 * rule is the naming that every declaration follows (spaces {@code layer.N.*}, HF tensor names
 * {@code ....layer.N....}), checked against the declared axes:
 * <ul>
 * <li>a space belongs to layer N when its name is {@code layer.N} or starts with {@code layer.N.};
 * the layers must be numbered 0 .. L-1 without gaps;</li>
 * <li>layer N's <em>output</em> is the sum of its last declared join (the residual stream leaving
 * the layer) and its <em>input</em> the skip of its first join (the stream entering it), each
 * read at the first tap declared on that space (a later one may read it through a norm, as a
 * final LayerNorm's tap does); both must have one width, the layer's update being their
 * difference;</li>
 * <li>a tensor belongs to layer N when its dotted name holds the two parts {@code layer} and
 * {@code N} (exactly once); its spaced axes must lie in layer N's spaces or in the stream entering
 * it (layer N-1's output, or a space of no layer for N = 0), and a tensor of no layer may touch
 * only spaces of no layer and the last layer's output.</li>
 * </ul>
 * The checks make a layer a block that talks to the rest of the model only through the residual
 * stream, which is what re-indexing layers between models of different depth relies on.
 */
public final class LayerLayout {
    private final int layers;
    private final List<String> outputTaps;
    private final List<String> inputTaps;
    private final Map<String, Integer> tensorLayer;

    private LayerLayout(int layers, List<String> outputTaps, List<String> inputTaps, Map<String, Integer> tensorLayer) {
        this.layers = layers;
        this.outputTaps = outputTaps;
        this.inputTaps = inputTaps;
        this.tensorLayer = tensorLayer;
    }

    /**
     * @param label names the model in messages
     * @throws TransfuseException when the declaration does not have the layer structure above
     */
    public static LayerLayout of(ModelGraph g, String label) {
        Map<String, Integer> spaceLayer = new HashMap<>();
        TreeMap<Integer, List<String>> byLayer = new TreeMap<>();
        for (NeuronSpace s : g.spaces()) {
            int n = spaceLayer(s.name());
            if (n >= 0) {
                spaceLayer.put(s.name(), n);
                byLayer.computeIfAbsent(n, k -> new ArrayList<>()).add(s.name());
            }
        }
        int layers = byLayer.size();
        if (layers == 0 || byLayer.lastKey() != layers - 1) {
            throw new TransfuseException(label + ": depth alignment needs spaces named layer.0 .. layer.L-1, found "
                    + (layers == 0 ? "none" : "layers " + byLayer.keySet()));
        }
        List<String> outputSpaces = new ArrayList<>();
        List<String> outputTaps = new ArrayList<>();
        List<String> inputTaps = new ArrayList<>();
        for (int n = 0; n < layers; n++) {
            Join first = null;
            Join last = null;
            for (Join j : g.joins()) {
                if (Integer.valueOf(n).equals(spaceLayer.get(j.output()))) {
                    first = first == null ? j : first;
                    last = j;
                }
            }
            String tap = last == null ? null : firstTap(g, last.output());
            String inTap = first == null ? null : firstTap(g, first.skip());
            if (tap == null || inTap == null) {
                throw new TransfuseException(label + ": layer " + n + " declares no residual joins with taps on the"
                        + " streams entering and leaving it, so it cannot be compared for depth alignment");
            }
            if (g.space(last.output()).size() != g.space(first.skip()).size()) {
                throw new TransfuseException(label + ": layer " + n + " changes the width of its residual stream,"
                        + " so its update (output - input) is undefined for depth alignment");
            }
            outputSpaces.add(last.output());
            outputTaps.add(tap);
            inputTaps.add(inTap);
        }
        Map<String, Integer> tensorLayer = new HashMap<>();
        for (TensorSpec t : g.tensors()) {
            int n = tensorLayer(t.name(), label);
            for (int a = 0; a < t.shape().length; a++) {
                String s = t.spaceOf(a);
                if (s == null) {
                    continue;
                }
                Integer sl = spaceLayer.get(s);
                boolean ok = n >= 0
                        ? (sl != null && sl == n) || (n == 0 ? sl == null : s.equals(outputSpaces.get(n - 1)))
                        : sl == null || s.equals(outputSpaces.get(layers - 1));
                if (!ok) {
                    throw new TransfuseException(label + ": tensor " + t.name() + " is named for "
                            + (n >= 0 ? "layer " + n : "no layer") + " but its axis " + a + " lies in space " + s
                            + "; depth alignment needs layers that meet only through the residual stream");
                }
            }
            if (n >= 0) {
                tensorLayer.put(t.name(), n);
            }
        }
        return new LayerLayout(layers, List.copyOf(outputTaps), List.copyOf(inputTaps), tensorLayer);
    }

    /** The first tap declared on a space, or null (later ones may read it through a norm, as a final LayerNorm does). */
    private static String firstTap(ModelGraph g, String space) {
        for (Tap t : g.taps()) {
            if (t.space().equals(space)) {
                return t.name();
            }
        }
        return null;
    }

    public int layers() {
        return layers;
    }

    /** The tap that reads layer n's output (the residual stream leaving it). */
    public String outputTap(int n) {
        return outputTaps.get(n);
    }

    /** The taps of every layer's output, layer by layer. */
    public List<String> outputTaps() {
        return outputTaps;
    }

    /** The taps of the stream entering every layer (the skip of its first join), layer by layer. */
    public List<String> inputTaps() {
        return inputTaps;
    }

    /** The tap that reads the stream entering layer n. */
    public String inputTap(int n) {
        return inputTaps.get(n);
    }

    /** The layer a declared tensor belongs to, or -1 for a tensor of no layer (embeddings, head). */
    public int layerOf(String tensor) {
        return tensorLayer.getOrDefault(tensor, -1);
    }

    /** The same tensor name with its layer index replaced: {@code a.layer.3.b} to {@code a.layer.1.b}. */
    public static String renamed(String tensor, int layer) {
        String[] parts = tensor.split("\\.", -1);
        int at = layerPart(parts, tensor, tensor);
        if (at < 0) {
            throw new IllegalArgumentException("tensor " + tensor + " is not named for a layer");
        }
        parts[at + 1] = Integer.toString(layer);
        return String.join(".", parts);
    }

    private static int spaceLayer(String space) {
        String[] parts = space.split("\\.", -1);
        return parts.length >= 2 && parts[0].equals("layer") && isIndex(parts[1]) ? Integer.parseInt(parts[1]) : -1;
    }

    private static int tensorLayer(String tensor, String label) {
        String[] parts = tensor.split("\\.", -1);
        int at = layerPart(parts, tensor, label);
        return at < 0 ? -1 : Integer.parseInt(parts[at + 1]);
    }

    /** Index of the {@code layer} part followed by a number, or -1; two of them are ambiguous. */
    private static int layerPart(String[] parts, String tensor, String label) {
        int found = -1;
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("layer") && isIndex(parts[i + 1])) {
                if (found >= 0) {
                    throw new TransfuseException(label + ": tensor " + tensor + " names two layers; depth alignment"
                            + " cannot tell which one it belongs to");
                }
                found = i;
            }
        }
        return found;
    }

    private static boolean isIndex(String s) {
        if (s.isEmpty() || s.length() > 9) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
