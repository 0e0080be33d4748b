package transfuse.fusion;

import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.solver.TransportSolver;
import transfuse.arch.vit.VitArchitecture;
import transfuse.data.DatasetCatalog;
import transfuse.djl.DjlRuntime;
import transfuse.fusion.align.OtAligner;
import transfuse.fusion.align.PermAligner;
import transfuse.fusion.align.VanillaAligner;
import transfuse.solvers.emd.EmdSolver;
import transfuse.solvers.lap.LapSolver;
import transfuse.solvers.sinkhorn.SinkhornLogSolver;
import transfuse.solvers.sinkhorn.SinkhornSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/** {@link FusionServices} outside OSGi: the real ViT, solvers, aligners and bundled data as plain objects. */
public final class TestServices implements FusionServices {
    private static TestServices instance;

    private final VitArchitecture vit;
    private final Map<String, Aligner> aligners;
    private final Map<String, TransportSolver> solvers;
    private final DatasetCatalog data = new DatasetCatalog();

    private TestServices() {
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        DjlRuntime.initialize(DjlRuntime.class);
        vit = new VitArchitecture(new DjlRuntime());
        solvers = Map.of("emd", new EmdSolver(), "sinkhorn", new SinkhornSolver(),
                "sinkhorn-log", new SinkhornLogSolver(), "lap", new LapSolver());
        aligners = Map.of("ot", OtAligner.withSolvers(this::solver), "perm", new PermAligner(new LapSolver()),
                "vanilla", new VanillaAligner());
    }

    public static synchronized TestServices get() {
        if (instance == null) {
            instance = new TestServices();
        }
        return instance;
    }

    @Override
    public Architecture architecture(String modelType) {
        if (!modelType.equals("vit")) {
            throw new TransfuseException("unknown architecture '" + modelType + "' (available: vit)");
        }
        return vit;
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
            throw new TransfuseException("unknown solver '" + name + "' (available: " + new java.util.TreeSet<>(
                    solvers.keySet()) + ")");
        }
        return s;
    }
}
