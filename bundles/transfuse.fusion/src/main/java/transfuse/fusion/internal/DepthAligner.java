package transfuse.fusion.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.LayerReindexing;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.Tap;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportSolver;
import transfuse.api.tensor.Tensor;
import transfuse.fusion.FusionOptions;
import transfuse.fusion.LayerMap;

/**
 * {@code --depth-align}: before neuron alignment, matches a model's layers to the anchor's and
 * re-indexes them into a virtual model of the anchor's depth. Layers are compared by linear CKA of
 * their residual updates ({@link LayerSimilarity}) on the samples the fusion uses, matched by
 * optimal transport ({@link LayerAssignment}), and the model is re-indexed by
 * {@link LayerReindexing} so that anchor layer i is model layer map[i]'s tensors under layer i's
 * names: a layer of the model is duplicated when it stands in for several anchor layers and left
 * out when it stands in for none (docs/fusion.md, "Depth alignment"). The depth is set through
 * the HF field {@code num_hidden_layers} and the architecture declares the virtual model, so
 * nothing here names an architecture.
 */
public final class DepthAligner {
    private static final String DEPTH_FIELD = LayerReindexing.DEPTH_FIELD;

    /** One model as the fusion holds it. */
    public record Model(ModelConfig config, ModelGraph graph, ModelWeights weights) {
    }

    /** The virtual model that stands in for the original in the rest of the fusion. */
    public record Virtual(LayerMap layers, Model model) {
    }

    private DepthAligner() {
    }

    /**
     * @param model  index of the model (1 = the first after the anchor)
     * @param data   the training split; the options' {@code samples}, {@code seed} and {@code tokens} pick
     *               the rows compared, as for the neuron evidence
     * @param solver the transport solver (exact EMD)
     * @throws TransfuseException when either declaration lacks the layer structure, the config has
     *         no depth field, or the re-indexed weights do not fit the declaration
     */
    public static Virtual align(int model, Architecture arch, Model anchor, Model other, Dataset data, FusionOptions o,
                                TransportSolver solver, ProgressListener progress) {
        String label = other.weights().label();
        LayerLayout la = LayerLayout.of(anchor.graph(), anchor.weights().label());
        LayerLayout lb = LayerLayout.of(other.graph(), label);
        ModelConfig cb = other.config();
        if (!cb.has(DEPTH_FIELD)) {
            throw new TransfuseException(label + "/config.json: --depth-align sets the depth through '" + DEPTH_FIELD
                    + "', which this config lacks");
        }
        double[] cka = similarity(model, arch, anchor, la, other, lb, data, o, progress);
        double[] cost = new double[cka.length];
        for (int k = 0; k < cost.length; k++) {
            cost[k] = 1 - cka[k];
        }
        LayerAssignment assignment = LayerAssignment.solve(la.layers(), lb.layers(), cost, solver);
        List<String> updates = new ArrayList<>();
        for (int n = 0; n < la.layers(); n++) {
            updates.add(la.outputTap(n) + " - " + la.inputTap(n));
        }
        LayerMap layers = new LayerMap(model, la.layers(), lb.layers(), updates, cost, assignment.plan(),
                assignment.cost(), assignment.map(), solver.name());
        return new Virtual(layers, virtual(arch, other, layers, label));
    }

    /**
     * Linear CKA of every anchor layer's update against every layer update of the model, L_A x L_B.
     * The update (the stream leaving a layer minus the stream entering it) is what the layer itself
     * adds; the stream also carries the embedding and every earlier update, which all layers
     * share, and comparing streams recovered fewer known answers (docs/fusion.md).
     */
    private static double[] similarity(int model, Architecture arch, Model a, LayerLayout la, Model b, LayerLayout lb,
                                       Dataset data, FusionOptions o, ProgressListener progress) {
        int[] widthsA = widths(a.graph(), la);
        int[] widthsB = widths(b.graph(), lb);
        LayerSimilarity sim = new LayerSimilarity(widthsA, widthsB);
        int n = Math.min(o.samples(), data.size());
        int start = ActivationEvidence.firstSample(data.size(), n, o.seed());
        for (int from = start; from < start + n; from += ActivationEvidence.BATCH) {
            int to = Math.min(start + n, from + ActivationEvidence.BATCH);
            List<float[]> xs = updates(arch, a, data, from, to, la, o.tokenWindow());
            List<float[]> ys = updates(arch, b, data, from, to, lb, o.tokenWindow());
            int rows = xs.get(0).length / widthsA[0];
            if ((long) rows * widthsB[0] != ys.get(0).length) {
                throw new TransfuseException(b.weights().label() + ": its layers give another number of token rows than"
                        + " the anchor's for the same samples; depth alignment compares the same tokens");
            }
            sim.add(xs, ys, rows);
            progress.progress("depth-align model " + model, to - start, n, "");
        }
        return sim.cka();
    }

    /** Per layer, its output tap minus its input tap: [rows, width] row-major. */
    private static List<float[]> updates(Architecture arch, Model m, Dataset data, int from, int to, LayerLayout layout,
                                         TokenWindow tokens) {
        Map<String, Tensor> inputs = arch.inputs(m.config(), data, from, to);
        Set<String> taps = new HashSet<>(layout.outputTaps());
        taps.addAll(layout.inputTaps());
        ForwardResult r = arch.forward(m.config(), m.weights().tensors(), new ForwardRequest(inputs, false, false,
                taps, tokens, ActivationEvidence.BATCH));
        List<float[]> out = new ArrayList<>();
        for (int n = 0; n < layout.layers(); n++) {
            float[] y = r.taps().get(layout.outputTap(n)).toFloats();
            float[] x = r.taps().get(layout.inputTap(n)).toFloats();
            for (int k = 0; k < y.length; k++) {
                y[k] -= x[k];
            }
            out.add(y);
        }
        return out;
    }

    private static int[] widths(ModelGraph g, LayerLayout layout) {
        int[] w = new int[layout.layers()];
        for (int i = 0; i < w.length; i++) {
            String tap = layout.outputTap(i);
            for (Tap t : g.taps()) {
                if (t.name().equals(tap)) {
                    w[i] = g.space(t.space()).size();
                }
            }
        }
        return w;
    }

    /** The model re-indexed to the anchor's depth: anchor layer i holds the model's layer map[i]. */
    private static Model virtual(Architecture arch, Model other, LayerMap layers, String label) {
        LayerReindexing.Reindexed r;
        try {
            r = LayerReindexing.apply(arch, other.config(), other.weights().tensors(), layers.map());
        } catch (TransfuseException e) {
            throw new TransfuseException(label + " re-indexed to " + layers.anchorLayers() + " layers: " + e.getMessage(),
                    e);
        }
        // Held as the file's tensors (no copy): a layer used twice is read twice, never stored twice.
        return new Model(r.config(), r.graph(), new ModelWeights(label, r.weights()));
    }
}
