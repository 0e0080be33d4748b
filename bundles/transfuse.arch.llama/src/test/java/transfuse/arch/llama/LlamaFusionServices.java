package transfuse.arch.llama;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.solver.TransportSolver;
import transfuse.data.DatasetCatalog;
import transfuse.fusion.FusionServices;
import transfuse.fusion.align.OtAligner;
import transfuse.fusion.align.PermAligner;
import transfuse.fusion.align.VanillaAligner;
import transfuse.solvers.emd.EmdSolver;
import transfuse.solvers.lap.LapSolver;
import transfuse.solvers.sinkhorn.SinkhornSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * The fusion engine's services outside OSGi, as the framework would hand them over: the
 * llama architecture by its {@code model_type}, the engine's own aligners and solvers, the bundled
 * data sets.
 */
final class LlamaFusionServices implements FusionServices {
    private static LlamaFusionServices instance;

    private final Map<String, TransportSolver> solvers;
    private final Map<String, Aligner> aligners;
    private final DatasetCatalog data = new DatasetCatalog();

    private LlamaFusionServices() {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        solvers = Map.of("emd", new EmdSolver(), "sinkhorn", new SinkhornSolver(), "lap", new LapSolver());
        aligners = Map.of("ot", OtAligner.withSolvers(this::solver), "perm", new PermAligner(new LapSolver()),
                "vanilla", new VanillaAligner());
    }

    static synchronized LlamaFusionServices get() {
        if (instance == null) {
            instance = new LlamaFusionServices();
        }
        return instance;
    }

    @Override
    public Architecture architecture(String modelType) {
        if (!modelType.equals(LlamaArchitecture.NAME)) {
            throw new TransfuseException("unknown architecture '" + modelType + "' (available: llama)");
        }
        return Llamas.llama();
    }

    @Override
    public Aligner aligner(String name) {
        Aligner a = aligners.get(name);
        if (a == null) {
            throw new TransfuseException("unknown aligner '" + name + "' (available: ot, perm, vanilla)");
        }
        return a;
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        return data.open(spec, split);
    }

    @Override
    public TransportSolver solver(String name) {
        TransportSolver s = solvers.get(name);
        if (s == null) {
            throw new TransfuseException("unknown solver '" + name + "' (available: emd, sinkhorn, lap)");
        }
        return s;
    }
}
