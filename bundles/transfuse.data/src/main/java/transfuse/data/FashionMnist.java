package transfuse.data;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import transfuse.api.TransfuseException;
import transfuse.api.data.Split;

/** Fashion-MNIST from the upstream IDX files: official train/test split, pixels byte / 255. */
final class FashionMnist {
    static final String NAME = "fashion-mnist";
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    static final String ATTRIBUTION = "Fashion-MNIST (zalandoresearch/fashion-mnist via Debian dataset-fashion-mnist),"
            + " MIT, Copyright 2017 Zalando SE";

    private FashionMnist() {
    }

    static ImageSet load(DataSource source, Split split) throws IOException {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Idx.Images images;
        int[] labels;
        try (InputStream in = source.open(prefix + "-images-idx3-ubyte")) {
            images = Idx.readImages(in, source.describe() + "/" + prefix + "-images-idx3-ubyte");
        }
        try (InputStream in = source.open(prefix + "-labels-idx1-ubyte")) {
            labels = Idx.readLabels(in, source.describe() + "/" + prefix + "-labels-idx1-ubyte");
        }
        if (labels.length != images.count()) {
            throw new TransfuseException(source.describe() + ": " + images.count() + " " + prefix + " images but "
                    + labels.length + " labels");
        }
        for (int label : labels) {
            if (label >= CLASSES.size()) {
                throw new TransfuseException(source.describe() + ": label " + label + " outside 0..9");
            }
        }
        return new ImageSet(NAME, split, images.pixels(), labels, images.count(),
                new long[] {1, images.rows(), images.cols()}, 255f, CLASSES, ATTRIBUTION);
    }
}
