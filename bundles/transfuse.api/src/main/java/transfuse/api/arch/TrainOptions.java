package transfuse.api.arch;

import java.nio.file.Path;

/**
 * A training recipe. AdamW (beta1 0.9, beta2 0.999, eps 1e-8, decoupled weight decay on matrices
 * only), learning rate warmed up linearly for {@code warmup} of all steps then cosine-decayed to
 * zero, gradients clipped to a global L2 norm.
 *
 * @param epochs        passes over the training split
 * @param batchSize     examples per step (the last, smaller batch of an epoch is dropped)
 * @param lr            peak learning rate
 * @param weightDecay   AdamW decoupled weight decay
 * @param warmup        fraction of all steps spent warming up, in [0, 1)
 * @param clipNorm      global gradient-norm limit; 0 or less disables clipping
 * @param seed          seeds initialization and the per-epoch shuffle: same seed, same machine,
 *                      same options give bitwise identical weights
 * @param checkpointDir where a checkpoint is written after every epoch; null for none
 * @param resume        continue from the checkpoint in {@code checkpointDir} when there is one
 */
public record TrainOptions(int epochs, int batchSize, double lr, double weightDecay, double warmup,
                           double clipNorm, long seed, Path checkpointDir, boolean resume) {
    public TrainOptions {
        if (epochs <= 0) {
            throw new transfuse.api.TransfuseException("epochs must be positive, got " + epochs);
        }
        if (batchSize <= 0) {
            throw new transfuse.api.TransfuseException("batch size must be positive, got " + batchSize);
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new transfuse.api.TransfuseException("learning rate must be positive and finite, got " + lr);
        }
        if (!(warmup >= 0 && warmup < 1)) {
            throw new transfuse.api.TransfuseException("warmup must be a fraction in [0, 1), got " + warmup);
        }
        if (!(weightDecay >= 0)) {
            throw new transfuse.api.TransfuseException("weight decay must be non-negative, got " + weightDecay);
        }
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, batchSize, lr, weightDecay, warmup, clipNorm, seed, checkpointDir, resume);
    }

    public TrainOptions withBatchSize(int b) {
        return new TrainOptions(epochs, b, lr, weightDecay, warmup, clipNorm, seed, checkpointDir, resume);
    }

    public TrainOptions withLr(double l) {
        return new TrainOptions(epochs, batchSize, l, weightDecay, warmup, clipNorm, seed, checkpointDir, resume);
    }

    public TrainOptions withSeed(long s) {
        return new TrainOptions(epochs, batchSize, lr, weightDecay, warmup, clipNorm, s, checkpointDir, resume);
    }

    public TrainOptions withCheckpoints(Path dir, boolean resumeFromIt) {
        return new TrainOptions(epochs, batchSize, lr, weightDecay, warmup, clipNorm, seed, dir, resumeFromIt);
    }
}
