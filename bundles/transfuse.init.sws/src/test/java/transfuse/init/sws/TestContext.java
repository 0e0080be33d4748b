package transfuse.init.sws;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import transfuse.api.Plugin;
import transfuse.api.TransfuseException;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.JobContext;
import transfuse.api.progress.ProgressListener;
import transfuse.arch.bert.BertArchitecture;
import transfuse.arch.vit.VitArchitecture;
import transfuse.data.DatasetCatalog;
import transfuse.djl.DjlRuntime;
import transfuse.init.sws.internal.LinearExpansionInitializer;
import transfuse.init.sws.internal.RandomInitializer;
import transfuse.init.sws.internal.SwsInitializer;
import transfuse.init.sws.internal.TruncateInitializer;
import transfuse.tensor.nd4j.Nd4jRuntime;

/**
 * A job context outside OSGi (the pattern of the jobs bundle's TestJobContext): the real ViT, BERT and
 * this bundle's initializers as plain objects, the bundled data, paths as given.
 */
final class TestContext implements JobContext {
    private static List<Plugin> plugins;
    private static final DatasetCatalog DATA = new DatasetCatalog();

    final List<String> log = new ArrayList<>();
    long progressReports;

    TestContext() {
        init();
    }

    private static synchronized void init() {
        if (plugins != null) {
            return;
        }
        Nd4jRuntime.initialize(Nd4jRuntime.class);
        DjlRuntime.initialize(DjlRuntime.class);
        plugins = List.of(new VitArchitecture(new DjlRuntime()), new BertArchitecture(new DjlRuntime()),
                new SwsInitializer(), new RandomInitializer(),
                new TruncateInitializer(), new LinearExpansionInitializer());
    }

    Architecture vit() {
        return plugin(Architecture.class, "vit");
    }

    @Override
    public ProgressListener progress(String label) {
        return (task, done, total, message) -> progressReports++;
    }

    @Override
    public void log(String line) {
        log.add(line);
    }

    @Override
    public void checkCancelled() {
    }

    @Override
    public <T extends Plugin> T plugin(Class<T> type, String name) {
        for (Plugin p : plugins) {
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
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
