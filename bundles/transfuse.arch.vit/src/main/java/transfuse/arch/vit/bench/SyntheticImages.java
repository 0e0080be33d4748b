package transfuse.arch.vit.bench;

import java.util.List;
import java.util.Random;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.tensor.Tensor;

/**
 * Uniform random 28 x 28 images with random labels: training throughput does not depend on pixel
 * values, and this keeps the benchmark free of the data bundle. The CLI may pass real data instead.
 */
final class SyntheticImages implements Dataset {
    private final int n;
    private final float[] pixels;
    private final int[] labels;

    SyntheticImages(int n, long seed) {
        this.n = n;
        Random r = new Random(seed);
        pixels = new float[n * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = r.nextInt(256) / 255f;
        }
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(10);
        }
    }

    @Override public String name() { return "synthetic"; }
    @Override public Split split() { return Split.TRAIN; }
    @Override public int size() { return n; }
    @Override public Modality modality() { return Modality.IMAGE; }
    @Override public List<String> classNames() { return List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"); }
    @Override public long[] imageShape() { return new long[] {1, 28, 28}; }
    @Override public String attribution() { return "random pixels"; }

    @Override
    public Tensor images(int from, int to) {
        return Tensor.ofFloats(new long[] {to - from, 1, 28, 28}, java.util.Arrays.copyOfRange(pixels, from * 784, to * 784));
    }

    @Override
    public int[] labels(int from, int to) {
        return java.util.Arrays.copyOfRange(labels, from, to);
    }

    @Override
    public List<String> texts(int from, int to) {
        throw new TransfuseException("synthetic images have no texts");
    }
}
