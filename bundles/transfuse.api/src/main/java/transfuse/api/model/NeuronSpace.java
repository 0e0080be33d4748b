package transfuse.api.model;

/**
 * A set of neurons that one alignment map acts on, e.g. {@code layer.3.mlp} (size 3072) or
 * {@code layer.3.attn.v} (12 heads x 64). Aligning model B to A finds, per space, a map from
 * B's neurons to A's and applies it to every tensor axis declared to live in the space.
 *
 * @param name    unique within a model graph, dotted, e.g. {@code embed.residual}
 * @param size    number of neurons
 * @param heads   number of attention heads the neurons are grouped into, 1 when ungrouped
 */
public record NeuronSpace(String name, int size, int heads) {
    public NeuronSpace {
        if (size <= 0 || heads <= 0 || size % heads != 0) {
            throw new IllegalArgumentException("space " + name + ": size " + size
                    + " must be a positive multiple of heads " + heads);
        }
    }

    public static NeuronSpace flat(String name, int size) {
        return new NeuronSpace(name, size, 1);
    }

    public int headDim() {
        return size / heads;
    }

    public boolean isHeaded() {
        return heads > 1;
    }
}
