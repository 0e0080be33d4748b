package transfuse.fusion.align;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.Evidence;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.progress.ProgressListener;
import transfuse.tensor.nd4j.Nd4jRuntime;

/** {@code vanilla}: no alignment, the identity map for every space, so fusion is plain weight averaging. */
@Component(service = Aligner.class, property = Plugin.NAME_PROPERTY + "=vanilla")
public final class VanillaAligner implements Aligner {
    /**
     * In OSGi. The ND4J reference is not used here: it guarantees ND4J is initialized with its
     * bundle's class loader before the engine computes.
     */
    @Activate
    public VanillaAligner(@Reference Nd4jRuntime nd4j) {
        this();
    }

    /** Outside OSGi: the caller initializes ND4J first ({@link Nd4jRuntime#initialize}). */
    public VanillaAligner() {
    }

    @Override
    public String name() {
        return "vanilla";
    }

    @Override
    public String description() {
        return "plain weight averaging without alignment (the baseline)";
    }

    /** It aligns nothing, so it needs no evidence. */
    @Override
    public List<Evidence> evidence() {
        return List.of(Evidence.NONE);
    }

    @Override
    public SpaceMap align(SpaceMatch match, ProgressListener progress) {
        int n = match.spaceA().size();
        if (match.spaceB().size() != n) {
            throw new TransfuseException("method vanilla averages weights as they are and needs equal widths: space "
                    + match.spaceA().name() + " has " + n + " neurons in the anchor and " + match.spaceB().size()
                    + " in the other model (use method ot or perm)");
        }
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            t[i * n + i] = 1;
        }
        return new SpaceMap(match.spaceA().name(), n, n, t, Map.of("solver", "none"));
    }
}
