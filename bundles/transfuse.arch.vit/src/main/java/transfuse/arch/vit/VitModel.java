package transfuse.arch.vit;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import transfuse.nn.Classifier;
import transfuse.nn.Layers;
import transfuse.nn.Params;
import transfuse.nn.PreLnEncoderLayer;
import transfuse.nn.TapRecorder;

/**
 * The ViT forward pass: patchify (the Conv2d of stride = kernel = patch as one Linear over
 * flattened (C, p, p) patches, the Conv2d weight's own memory order), prepend CLS, add position
 * embeddings, pre-LN encoder layers, final LayerNorm, classifier on the CLS token.
 */
final class VitModel implements Classifier {
    private static final NDIndex CLS_TOKEN = new NDIndex(":, 0, :");

    private final VitConfig c;
    private final List<PreLnEncoderLayer> layers = new ArrayList<>();

    VitModel(VitConfig c) {
        this.c = c;
        for (int i = 0; i < c.layers(); i++) {
            layers.add(VitNames.encoderLayer(i, c));
        }
    }

    /** The last hidden state after the final LayerNorm, [B, T, d]; inputs: pixel_values [B, C, H, W]. */
    NDArray hidden(Params p, NDList inputs, TapRecorder taps) {
        return finalNorm(p, encode(p, inputs, taps), taps);
    }

    /** The residual stream leaving the last encoder layer, [B, T, d] (before the final LayerNorm). */
    private NDArray encode(Params p, NDList inputs, TapRecorder taps) {
        NDArray x = inputs.head();
        long b = x.getShape().get(0);
        int g = c.grid(), ps = c.patchSize(), d = c.hidden();
        NDArray patches = x.reshape(b, c.channels(), g, ps, g, ps).transpose(0, 2, 4, 1, 3, 5)
                .reshape(b, (long) g * g, c.patchPixels());
        NDArray w = p.get(VitNames.PATCH + ".weight").reshape(d, c.patchPixels());
        NDArray emb = Layers.linear(patches, w, p.get(VitNames.PATCH + ".bias"));
        NDArray cls = p.get(VitNames.CLS).broadcast(b, 1, d);
        NDArray h = NDArrays.concat(new NDList(cls, emb), 1).add(p.get(VitNames.POS));
        if (taps.wants("embed")) {
            taps.record("embed", h);
        }
        for (int i = 0; i < layers.size(); i++) {
            h = layers.get(i).apply(h, p, taps, "layer." + i);
        }
        return h;
    }

    private NDArray finalNorm(Params p, NDArray h, TapRecorder taps) {
        NDArray out = Layers.layerNorm(h, p.get(VitNames.FINAL_NORM + ".weight"), p.get(VitNames.FINAL_NORM + ".bias"),
                c.eps());
        if (taps.wants("final.norm")) {
            taps.record("final.norm", out);
        }
        return out;
    }

    NDArray head(Params p, NDArray hidden) {
        return Layers.linear(hidden.get(CLS_TOKEN), p.get(VitNames.CLASSIFIER + ".weight"),
                p.get(VitNames.CLASSIFIER + ".bias"));
    }

    @Override
    public NDArray logits(Params p, NDList inputs, TapRecorder taps) {
        if (taps.wants("final.norm")) {
            return head(p, hidden(p, inputs, taps));
        }
        // LayerNorm is per token and the classifier reads only CLS: normalise just that row
        // (the same values as normalising all T rows and selecting CLS, at 1/T of the cost).
        NDArray cls = encode(p, inputs, taps).get(CLS_TOKEN);
        return Layers.linear(Layers.layerNorm(cls, p.get(VitNames.FINAL_NORM + ".weight"),
                p.get(VitNames.FINAL_NORM + ".bias"), c.eps()), p.get(VitNames.CLASSIFIER + ".weight"),
                p.get(VitNames.CLASSIFIER + ".bias"));
    }
}
