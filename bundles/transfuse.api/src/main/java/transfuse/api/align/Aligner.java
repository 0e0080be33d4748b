package transfuse.api.align;

import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.arch.HeadGroup;
import transfuse.api.progress.ProgressListener;

/**
 * Finds the map for one neuron space (optimal transport, permutation, head permutation).
 * Registered as a service under its {@link #name()}; fusion methods ask for aligners by name.
 */
@ConsumerType
public interface Aligner extends Plugin {
    SpaceMap align(SpaceMatch match, ProgressListener progress);

    /**
     * Maps for the member spaces of one head group (their heads must move together to preserve
     * the function), in the order of {@code members}. The default aligns each member on its own;
     * head-aware aligners override it (e.g. Head-Perm: one head assignment for the group).
     */
    default List<SpaceMap> alignHeads(HeadGroup group, List<SpaceMatch> members, ProgressListener progress) {
        List<SpaceMap> maps = new ArrayList<>();
        for (SpaceMatch m : members) {
            maps.add(align(m, progress));
        }
        return maps;
    }
}
