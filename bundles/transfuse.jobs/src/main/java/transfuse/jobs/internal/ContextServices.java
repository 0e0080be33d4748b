package transfuse.jobs.internal;

import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.job.JobContext;
import transfuse.api.solver.TransportSolver;
import transfuse.fusion.FusionServices;

/** The fusion engine's plugins and data sets, taken from the running job's context. */
public record ContextServices(JobContext context) implements FusionServices {
    @Override
    public Architecture architecture(String modelType) {
        return context.plugin(Architecture.class, modelType);
    }

    @Override
    public Aligner aligner(String name) {
        return context.plugin(Aligner.class, name);
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        return context.dataset(spec, split);
    }

    @Override
    public TransportSolver solver(String name) {
        return context.plugin(TransportSolver.class, name);
    }
}
