package transfuse.api.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The layers of a declaration that does not list them, read from its names (HF's convention):
 * a space belongs to layer N when it is named {@code layer.N} or {@code layer.N.*}; a tensor
 * belongs to layer N when its dotted name holds the parts {@code layer} and {@code N} exactly
 * once ({@code vit.encoder.layer.3.output.dense.bias}). When the names do not give layers
 * 0 .. L-1 (a gap, a tensor naming two layers or a layer without spaces), the declaration has no
 * layers: nothing is guessed. See docs/architecture.md, "Layers".
 */
final class LayerNaming {
    private static final int AMBIGUOUS = -2;

    private LayerNaming() {
    }

    static List<Layer> derive(List<NeuronSpace> spaces, List<TensorSpec> tensors) {
        TreeMap<Integer, List<String>> spacesByLayer = new TreeMap<>();
        for (NeuronSpace s : spaces) {
            int n = spaceLayer(s.name());
            if (n >= 0) {
                spacesByLayer.computeIfAbsent(n, k -> new ArrayList<>()).add(s.name());
            }
        }
        int layers = spacesByLayer.size();
        if (layers == 0 || spacesByLayer.lastKey() != layers - 1) {
            return List.of();
        }
        Map<Integer, List<String>> tensorsByLayer = new TreeMap<>();
        for (TensorSpec t : tensors) {
            int n = tensorLayer(t.name());
            if (n == AMBIGUOUS || n >= layers) {
                return List.of();
            }
            if (n >= 0) {
                tensorsByLayer.computeIfAbsent(n, k -> new ArrayList<>()).add(t.name());
            }
        }
        List<Layer> out = new ArrayList<>();
        for (int n = 0; n < layers; n++) {
            out.add(new Layer(n, spacesByLayer.get(n), tensorsByLayer.getOrDefault(n, List.of())));
        }
        return out;
    }

    private static int spaceLayer(String space) {
        String[] parts = space.split("\\.", -1);
        return parts.length >= 2 && parts[0].equals("layer") && isIndex(parts[1]) ? Integer.parseInt(parts[1]) : -1;
    }

    /** The layer a tensor name holds, -1 for none, {@link #AMBIGUOUS} for two. */
    private static int tensorLayer(String tensor) {
        String[] parts = tensor.split("\\.", -1);
        int found = -1;
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("layer") && isIndex(parts[i + 1])) {
                if (found >= 0) {
                    return AMBIGUOUS;
                }
                found = Integer.parseInt(parts[i + 1]);
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
