package transfuse.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.data.Split;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/** Images kept as bytes (values 0..maxValue) and scaled to [0, 1] floats on request. */
final class ImageSet implements Dataset {
    private final String name;
    private final Split split;
    private final byte[] pixels;
    private final int[] labels;
    private final int count;
    private final long[] shape;
    private final float maxValue;
    private final List<String> classNames;
    private final String attribution;

    ImageSet(String name, Split split, byte[] pixels, int[] labels, int count, long[] shape, float maxValue,
             List<String> classNames, String attribution) {
        this.name = name;
        this.split = split;
        this.pixels = pixels;
        this.labels = labels;
        this.count = count;
        this.shape = shape.clone();
        this.maxValue = maxValue;
        this.classNames = List.copyOf(classNames);
        this.attribution = attribution;
    }

    /** The same data limited to its first n examples (shares the arrays). */
    ImageSet first(int n) {
        return new ImageSet(name, split, pixels, labels, n, shape, maxValue, classNames, attribution);
    }

    int pixelsPerImage() {
        return (int) (shape[0] * shape[1] * shape[2]);
    }

    @Override public String name() { return name; }
    @Override public Split split() { return split; }
    @Override public int size() { return count; }
    @Override public Modality modality() { return Modality.IMAGE; }
    @Override public List<String> classNames() { return classNames; }
    @Override public long[] imageShape() { return shape.clone(); }
    @Override public String attribution() { return attribution; }

    @Override
    public Tensor images(int from, int to) {
        Ranges.check(name, from, to, count);
        int per = pixelsPerImage();
        int n = to - from;
        ByteBuffer bytes = ByteBuffer.allocate(n * per * 4).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer out = bytes.asFloatBuffer();
        float scale = 1f / maxValue;
        for (int i = from * per, end = to * per; i < end; i++) {
            out.put((pixels[i] & 0xff) * scale);
        }
        return new Tensor(DType.F32, new long[] {n, shape[0], shape[1], shape[2]}, bytes);
    }

    @Override
    public int[] labels(int from, int to) {
        Ranges.check(name, from, to, count);
        return java.util.Arrays.copyOfRange(labels, from, to);
    }

    @Override
    public List<String> texts(int from, int to) {
        throw new TransfuseException(name + " is an image data set; it has no texts");
    }
}
