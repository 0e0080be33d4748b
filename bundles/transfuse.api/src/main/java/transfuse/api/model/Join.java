package transfuse.api.model;

/**
 * A residual add: {@code output = skip + branch}. The engine's residual policy decides how
 * the maps of the skip and branch spaces combine into the map of the output space.
 *
 * @param output the space of the sum
 * @param skip   the space carried by the skip connection
 * @param branch the space of the branch's output projection
 */
public record Join(String output, String skip, String branch) {
}
