package transfuse.jobs.kinds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.JobCancelledException;
import transfuse.api.job.JobContext;
import transfuse.api.progress.ProgressListener;
import transfuse.api.solver.TransportSolver;
import transfuse.arch.vit.VitArchitecture;
import transfuse.data.DatasetCatalog;
import transfuse.djl.DjlRuntime;
import transfuse.fusion.align.OtAligner;
import transfuse.fusion.align.PermAligner;
import transfuse.fusion.align.VanillaAligner;
import transfuse.jobs.internal.FusionKeys;
import transfuse.solvers.emd.EmdSolver;
import transfuse.solvers.lap.LapSolver;
import transfuse.solvers.sinkhorn.SinkhornSolver;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * A job context outside OSGi: the real ViT, solvers, aligners and bundled data as plain objects,
 * paths as given (like the command line), and cancellation after a chosen number of progress reports.
 */
final class TestJobContext implements JobContext {
    private static Map<String, Plugin> plugins;
    private static final DatasetCatalog DATA = new DatasetCatalog();

    final List<String> log = new ArrayList<>();
    private final Path home;
    private long progressReports;
    private long cancelAfter = Long.MAX_VALUE;

    TestJobContext(Path home) {
        this.home = home;
        init();
    }

    /** Cancellation is requested once this many progress reports have been made. */
    TestJobContext cancelAfter(long reports) {
        this.cancelAfter = reports;
        return this;
    }

    long progressReports() {
        return progressReports;
    }

    private static synchronized void init() {
        if (plugins != null) {
            return;
        }
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        DjlRuntime.initialize(DjlRuntime.class);
        Map<String, Plugin> p = new TreeMap<>();
        p.put("arch:vit", new VitArchitecture(new DjlRuntime()));
        p.put("solver:emd", new EmdSolver());
        p.put("solver:sinkhorn", new SinkhornSolver());
        p.put("solver:lap", new LapSolver());
        plugins = p;
        p.put("aligner:ot", OtAligner.withSolvers(name -> (TransportSolver) find(TransportSolver.class, name)));
        p.put("aligner:perm", new PermAligner(new LapSolver()));
        p.put("aligner:vanilla", new VanillaAligner());
    }

    /** Fusion keys from this context's aligners. */
    static FusionKeys fusionKeys() {
        init();
        return new FusionKeys(new FusionKeys.AlignerSource() {
            @Override
            public <R> R withAligners(Function<List<Aligner>, R> use) {
                List<Aligner> all = new ArrayList<>();
                plugins.forEach((k, v) -> {
                    if (v instanceof Aligner a) {
                        all.add(a);
                    }
                });
                return use.apply(all);
            }
        });
    }

    @Override
    public ProgressListener progress(String label) {
        return (task, done, total, message) -> {
            progressReports++;
            checkCancelled();
        };
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public void checkCancelled() {
        if (progressReports >= cancelAfter) {
            throw new JobCancelledException("cancelled");
        }
    }

    @Override
    public <T extends Plugin> T plugin(Class<T> type, String name) {
        return find(type, name);
    }

    private static <T extends Plugin> T find(Class<T> type, String name) {
        for (Plugin p : plugins.values()) {
            if (type.isInstance(p) && p.name().equals(name)) {
                return type.cast(p);
            }
        }
        throw new TransfuseException("unknown " + type.getSimpleName() + " '" + name + "'");
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        return DATA.open(spec, split);
    }

    @Override
    public Path input(String key, String path) {
        return Path.of(path);
    }

    @Override
    public Path output(String key, String given, String name) {
        return given == null ? null : Path.of(given);
    }

    @Override
    public Path home() {
        return home;
    }
}
