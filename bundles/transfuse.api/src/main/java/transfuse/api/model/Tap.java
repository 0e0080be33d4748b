package transfuse.api.model;

/**
 * A point in the forward pass where the activations of a space are read, for activation-based
 * alignment. A space may have several taps (a residual stream is read after every block).
 *
 * @param name  unique tap name, e.g. {@code layer.3.mlp.act}
 * @param space the space whose neurons the activations index
 */
public record Tap(String name, String space) {
}
