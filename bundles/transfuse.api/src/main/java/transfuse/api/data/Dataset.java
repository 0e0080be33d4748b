package transfuse.api.data;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import transfuse.api.tensor.Tensor;

/**
 * One split of a data set, held in memory, read by index ranges {@code [from, to)}. The order
 * is fixed (the same for every run), so "the first N examples" is well defined. Pixels are
 * scaled to [0, 1] by the data set (e.g. byte / 255); architectures take them as they are.
 */
@ProviderType
public interface Dataset {
    /** The contract name, e.g. {@code fashion-mnist}, even when the data came from a path. */
    String name();

    Split split();

    /** Number of examples. */
    int size();

    Modality modality();

    /** Class names indexed by label; empty for unlabelled data ({@code kjv}). */
    List<String> classNames();

    /** Number of classes; 0 for unlabelled data. */
    default int numClasses() {
        return classNames().size();
    }

    /** [C, H, W] of one image; empty for text data sets. */
    long[] imageShape();

    /**
     * Images {@code [from, to)} as float32 [to - from, C, H, W], pixels in [0, 1].
     *
     * @throws transfuse.api.TransfuseException for a text data set or a bad range
     */
    Tensor images(int from, int to);

    /** Texts {@code [from, to)}; throws for an image data set. */
    List<String> texts(int from, int to);

    /** Labels {@code [from, to)} as class indices; throws for unlabelled data. */
    int[] labels(int from, int to);

    /** Where the data came from and its licence, one line per source. */
    String attribution();
}
