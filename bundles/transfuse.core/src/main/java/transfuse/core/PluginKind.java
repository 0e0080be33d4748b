package transfuse.core;

import transfuse.api.Plugin;
import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.bench.Benchmark;
import transfuse.api.job.Job;
import transfuse.api.init.Initializer;
import transfuse.api.solver.TransportSolver;

/** The kinds of pluggable services, with the word users see for each. */
public enum PluginKind {
    ARCHITECTURE("architecture", Architecture.class),
    SOLVER("solver", TransportSolver.class),
    ALIGNER("aligner", Aligner.class),
    JOB("job", Job.class),
    INITIALIZER("initializer", Initializer.class),
    BENCHMARK("benchmark", Benchmark.class);

    private final String label;
    private final Class<? extends Plugin> type;

    PluginKind(String label, Class<? extends Plugin> type) {
        this.label = label;
        this.type = type;
    }

    public String label() {
        return label;
    }

    public Class<? extends Plugin> type() {
        return type;
    }
}
