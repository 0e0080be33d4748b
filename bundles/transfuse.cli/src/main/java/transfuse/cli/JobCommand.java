package transfuse.cli;

import java.util.Locale;
import java.util.Map;

import transfuse.api.job.Job;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;
import transfuse.jobs.JobRunner;

/**
 * A command that runs a registered job: parse the flags (and a SPEC.yaml, whose keys the flags
 * override) into one key/value map, let the job validate and run it, print its result. It knows
 * no job kind; every Job service is a command, including one a plugin adds.
 */
final class JobCommand implements Command {
    /** How messages name a key given as a flag. */
    static final String FLAG_FORMAT = "option --%s";

    private final String name;
    private final PluginCatalog catalog;

    JobCommand(String name, PluginCatalog catalog) {
        this.name = name;
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String summary() {
        try (PluginHandle<Job> job = catalog.open(Job.class, name)) {
            return job.get().description();
        }
    }

    @Override
    public String usage() {
        try (PluginHandle<Job> job = catalog.open(Job.class, name)) {
            return usage(job.get());
        }
    }

    /** The job's usage lines, then every option with its default and doc, from its declarations. */
    static String usage(Job<?> job) {
        StringBuilder s = new StringBuilder(job.usage()).append("\n  options:");
        for (OptionDecl d : job.options()) {
            if (d.name().equals(job.positional())) {
                continue;
            }
            String def = d.defaultValue() == null || Boolean.FALSE.equals(d.defaultValue()) ? ""
                    : "  (default " + d.defaultValue() + ")";
            s.append(String.format(Locale.ROOT, "%n    %-34s %s%s", d.synopsis(), d.doc(), def));
        }
        return s.append(String.format("%n    %-34s %s", "--json", "print the result as one JSON object, last on stdout"))
                .toString();
    }

    @Override
    public OptionSpec options() {
        try (PluginHandle<Job> handle = catalog.open(Job.class, name)) {
            return JobFlags.of(handle.get()).addTo(new OptionSpec());
        }
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        try (PluginHandle<Job> handle = catalog.open(Job.class, name);
             CliJobContext context = new CliJobContext(catalog, ctx.bundleContext(), ctx.err())) {
            Job<?> job = handle.get();
            Map<String, Object> raw = JobFlags.of(job).raw(args.positional(), args.values());
            JobResult result = JobRunner.run(job, raw, FLAG_FORMAT, context);
            ctx.out().print(result.text());
            return result.json();
        }
    }
}
