package transfuse.arch.vit;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.Modality;
import transfuse.api.tensor.Tensor;
import transfuse.nn.BatchSource;

/** A labelled image data set held as one float array; batches gather rows into a direct buffer. */
final class ImageBatches implements BatchSource {
    private final float[] pixels;
    private final int[] labels;
    private final long[] imageShape;
    private final int per;

    private ImageBatches(float[] pixels, int[] labels, long[] imageShape) {
        this.pixels = pixels;
        this.labels = labels;
        this.imageShape = imageShape.clone();
        this.per = (int) (imageShape[0] * imageShape[1] * imageShape[2]);
    }

    /** @throws TransfuseException when the data set is not labelled images of the config's shape */
    static ImageBatches of(Dataset data, VitConfig c) {
        if (data.modality() != Modality.IMAGE) {
            throw new TransfuseException(data.name() + " holds texts; the vit architecture needs images");
        }
        if (data.size() == 0) {
            throw new TransfuseException(data.name() + " (" + data.split().label() + ") holds no examples");
        }
        checkShape(data.name() + " images", data.imageShape(), c);
        if (data.numClasses() > c.numLabels()) {
            throw new TransfuseException(data.name() + " has " + data.numClasses() + " classes but the model has "
                    + c.numLabels() + " labels (id2label)");
        }
        return new ImageBatches(data.images(0, data.size()).toFloats(), data.labels(0, data.size()), data.imageShape());
    }

    static void checkShape(String what, long[] chw, VitConfig c) {
        if (chw.length != 3 || chw[0] != c.channels() || chw[1] != c.imageSize() || chw[2] != c.imageSize()) {
            throw new TransfuseException(what + " have shape " + java.util.Arrays.toString(chw) + " but the config expects ["
                    + c.channels() + ", " + c.imageSize() + ", " + c.imageSize()
                    + "] (num_channels, image_size, image_size)");
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] labels() {
        return labels;
    }

    @Override
    public NDList inputs(NDManager manager, int[] indices) {
        ByteBuffer direct = ByteBuffer.allocateDirect(indices.length * per * 4).order(ByteOrder.nativeOrder());
        FloatBuffer f = direct.asFloatBuffer();
        for (int i : indices) {
            f.put(pixels, i * per, per);
        }
        return new NDList(manager.create(direct, new Shape(indices.length, imageShape[0], imageShape[1], imageShape[2]),
                DataType.FLOAT32));
    }

    /** Samples {@code [from, to)} of an images tensor [N, C, H, W] as a float32 NDArray. */
    static NDList slice(NDManager manager, Tensor images, int from, int to) {
        long[] s = images.shape();
        int per = (int) (s[1] * s[2] * s[3]);
        ByteBuffer direct = ByteBuffer.allocateDirect((to - from) * per * 4).order(ByteOrder.nativeOrder());
        ByteBuffer src = images.data();
        switch (images.dtype()) {
            case F32 -> {
                if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                    for (int i = from * per, end = to * per; i < end; i++) {
                        direct.putFloat(src.getFloat(i * 4));
                    }
                    direct.rewind();
                    break;
                }
                src.position(from * per * 4).limit(to * per * 4);
                direct.put(src.slice().order(ByteOrder.LITTLE_ENDIAN));
                direct.rewind();
            }
            case F64 -> {
                for (int i = from * per, end = to * per; i < end; i++) {
                    direct.putFloat((float) src.getDouble(i * 8));
                }
                direct.rewind();
            }
            default -> throw new TransfuseException("pixel_values must be float32 or float64, found " + images.dtype());
        }
        return new NDList(manager.create(direct, new Shape(to - from, s[1], s[2], s[3]), DataType.FLOAT32));
    }
}
