package transfuse.arch.vit;

import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.arch.TrainOptions;
import transfuse.api.model.ModelConfig;

/**
 * The default ViT recipe (recipes/fashion-mnist.json holds the same model as a config file): the
 * throughput benchmark's reference model (docs/vit.md) grown to 4 layers (d 64, 4 heads, MLP 128,
 * 16 patches + CLS for 28 x 28 input, 139k parameters), 20 epochs, AdamW lr 3e-3, batch 128, 5 % warmup, cosine
 * decay, clip 1.0, weight decay 0.05, seed 1. Measured on the full Fashion-MNIST training set
 * (recipes/README.md): 88.9 % test accuracy after 20 epochs, 12 minutes on a shared 2-core machine.
 */
final class VitRecipe {
    static final int HIDDEN = 64;
    static final int HEADS = 4;
    static final int LAYERS = 4;
    static final int INTERMEDIATE = 128;
    static final int TARGET_PATCHES_PER_SIDE = 4;

    private VitRecipe() {
    }

    static ModelConfig config(long[] chw, List<String> classNames) {
        if (chw.length != 3 || chw[1] != chw[2]) {
            throw new TransfuseException("the vit recipe needs square images, got shape " + java.util.Arrays.toString(chw));
        }
        if (classNames.isEmpty()) {
            throw new TransfuseException("the vit recipe needs labelled images (class names)");
        }
        int side = (int) chw[1];
        return VitConfig.toModelConfig(HIDDEN, LAYERS, HEADS, INTERMEDIATE, side, patchSize(side), (int) chw[0],
                classNames);
    }

    /** The divisor of the image side whose grid is closest to 4 x 4 patches (28 -> 7, 8 -> 2). */
    static int patchSize(int side) {
        int best = side;
        for (int p = 1; p <= side; p++) {
            if (side % p == 0 && Math.abs(side / p - TARGET_PATCHES_PER_SIDE) < Math.abs(side / best - TARGET_PATCHES_PER_SIDE)) {
                best = p;
            }
        }
        return best;
    }

    static TrainOptions options() {
        return new TrainOptions(20, 128, 3e-3, 0.05, 0.05, 1.0, 1, null, false);
    }
}
