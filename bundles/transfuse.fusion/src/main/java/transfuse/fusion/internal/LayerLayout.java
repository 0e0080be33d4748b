package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.Tap;

/**
 * Where depth alignment reads a layer's update: the taps on the residual stream entering and
 * leaving each declared layer ({@link ModelGraph#layers()}, docs/architecture.md "Layers"). Each
 * stream is read at the first tap declared on it (a later one may read it through a norm, as a
 * final LayerNorm's tap does); both must have one width, the layer's update being their
 * difference. The layers must meet only through the residual stream
 * ({@link LayerReindexing#checkSelfContained}), which re-indexing them relies on.
 */
public final class LayerLayout {
    private final List<String> outputTaps;
    private final List<String> inputTaps;

    private LayerLayout(List<String> outputTaps, List<String> inputTaps) {
        this.outputTaps = outputTaps;
        this.inputTaps = inputTaps;
    }

    /**
     * @param label names the model in messages
     * @throws TransfuseException when the declaration has no layers, a layer has no tapped
     *         residual streams or changes their width, or layers meet outside the stream
     */
    public static LayerLayout of(ModelGraph g, String label) {
        if (g.layers().isEmpty()) {
            throw new TransfuseException(label + ": depth alignment needs layers, declared by the architecture or"
                    + " named layer.0 .. layer.L-1 (docs/architecture.md), found none");
        }
        List<String> outputTaps = new ArrayList<>();
        List<String> inputTaps = new ArrayList<>();
        for (int n = 0; n < g.layers().size(); n++) {
            String in = g.streamEntering(n);
            String out = g.streamLeaving(n);
            String inTap = in == null ? null : firstTap(g, in);
            String outTap = out == null ? null : firstTap(g, out);
            if (inTap == null || outTap == null) {
                throw new TransfuseException(label + ": layer " + n + " declares no residual joins with taps on the"
                        + " streams entering and leaving it, so it cannot be compared for depth alignment");
            }
            if (g.space(out).size() != g.space(in).size()) {
                throw new TransfuseException(label + ": layer " + n + " changes the width of its residual stream,"
                        + " so its update (output - input) is undefined for depth alignment");
            }
            outputTaps.add(outTap);
            inputTaps.add(inTap);
        }
        try {
            LayerReindexing.checkSelfContained(g);
        } catch (TransfuseException e) {
            throw new TransfuseException(label + ": " + e.getMessage(), e);
        }
        return new LayerLayout(List.copyOf(outputTaps), List.copyOf(inputTaps));
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
        return outputTaps.size();
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
}
