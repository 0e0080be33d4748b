package transfuse.fusion;

import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.solver.TransportSolver;

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

    /**
     * A transport solver by name ({@code emd}, ...), for the engine's own transport problems
     * ({@code --depth-align} matches layers with exact EMD). A default method, so providers written
     * before it still compile (a minor API change); they refuse depth alignment in one line.
     *
     * @throws transfuse.api.TransfuseException naming the available ones when there is none
     */
    default TransportSolver solver(String name) {
        throw new transfuse.api.TransfuseException("no transport solver '" + name + "' here: these fusion services"
                + " offer none (needed by --depth-align)");
    }
}
