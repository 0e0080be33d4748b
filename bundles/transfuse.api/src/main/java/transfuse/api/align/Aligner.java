package transfuse.api.align;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.progress.ProgressListener;

/**
 * Finds the map for one neuron space (optimal transport, permutation, head permutation).
 * Registered as a service under its {@link #name()}; fusion methods ask for aligners by name.
 */
@ConsumerType
public interface Aligner extends Plugin {
    SpaceMap align(SpaceMatch match, ProgressListener progress);
}
