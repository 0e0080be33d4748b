package transfuse.cli;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.solver.TransportSolver;
import transfuse.core.PluginHandle;
import transfuse.fusion.FusionServices;

/** The fusion engine's plugins from the service registry, held until the command is done. */
final class RegistryServices implements FusionServices, AutoCloseable {
    private final CliContext ctx;
    private final List<PluginHandle<?>> handles = new ArrayList<>();

    RegistryServices(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public synchronized Architecture architecture(String modelType) {
        PluginHandle<Architecture> h = ctx.catalog().open(Architecture.class, modelType);
        handles.add(h);
        return h.get();
    }

    @Override
    public synchronized Aligner aligner(String name) {
        PluginHandle<Aligner> h = ctx.catalog().open(Aligner.class, name);
        handles.add(h);
        return h.get();
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        return ModelFiles.dataset(ctx.bundleContext(), spec, split);
    }

    @Override
    public synchronized TransportSolver solver(String name) {
        PluginHandle<TransportSolver> h = ctx.catalog().open(TransportSolver.class, name);
        handles.add(h);
        return h.get();
    }

    @Override
    public synchronized void close() {
        for (PluginHandle<?> h : handles) {
            h.close();
        }
        handles.clear();
    }
}
