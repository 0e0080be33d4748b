package transfuse.fusion;

import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;

/**
 * Where the engine finds its plugins: by name only (an architecture by its {@code model_type},
 * aligners and data sets by their contract names). In OSGi the command line and server back it
 * with the service registry; tests back it with plain objects.
 */
public interface FusionServices {
    /** @throws transfuse.api.TransfuseException naming the available ones when there is none */
    Architecture architecture(String modelType);

    /** @throws transfuse.api.TransfuseException naming the available ones when there is none */
    Aligner aligner(String name);

    /** @throws transfuse.api.TransfuseException for an unknown or unreadable data set */
    Dataset dataset(String spec, Split split);
}
