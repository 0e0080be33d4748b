package transfuse.api.data;

/** What one example of a data set is. */
public enum Modality {
    /** An image: {@link Dataset#images} gives float32 pixels [n, C, H, W] scaled to [0, 1]. */
    IMAGE,
    /** A text: {@link Dataset#texts} gives the raw strings, tokenized by each architecture. */
    TEXT
}
