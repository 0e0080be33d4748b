package transfuse.api.align;

import java.util.ArrayList;
import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

import transfuse.api.Plugin;
import transfuse.api.arch.HeadGroup;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionValues;
import transfuse.api.progress.ProgressListener;

/**
 * Finds the map for one neuron space (optimal transport, permutation, head permutation).
 * Registered as a service under its {@link #name()}; fusion methods ask for aligners by name.
 * An aligner declares its own options ({@link #options()}); the fusion engine validates a request
 * against them and asks the aligner ({@link #configure}) how to combine its maps, so the engine
 * never names an aligner to know what it accepts.
 */
@ConsumerType
public interface Aligner extends Plugin {
    /** The options this aligner takes besides the engine's, for parsing and help texts. None by default. */
    default List<OptionDecl> options() {
        return List.of();
    }

    /** The evidence this aligner can align from, the default first. Activations or weights by default. */
    default List<Evidence> evidence() {
        return List.of(Evidence.ACTS, Evidence.WEIGHTS);
    }

    /**
     * Checks this aligner's options (already type- and range-checked against {@link #options()})
     * together and against the evidence it will be given, before the engine does any work.
     *
     * @param options  the values of this aligner's declared options only
     * @param evidence one of {@link #evidence()}
     * @return the engine's map policy and the values to record; by default {@link MapPolicy#DEFAULT}
     *         and the declared values with their defaults
     * @throws transfuse.api.TransfuseException one line naming the option
     */
    default AlignerSettings configure(OptionValues options, Evidence evidence) {
        return new AlignerSettings(MapPolicy.DEFAULT, options.withDefaults());
    }

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
