package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import transfuse.api.job.Job;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionType;
import transfuse.api.option.OptionValues;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;
import transfuse.io.spec.SpecYaml;
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
        OptionSpec spec = new OptionSpec();
        try (PluginHandle<Job> handle = catalog.open(Job.class, name)) {
            Job<?> job = handle.get();
            for (OptionDecl d : job.options()) {
                if (d.type() == OptionType.FLAG) {
                    spec.flag(d.name());
                } else if (d.type().isList()) {
                    spec.values(d.name());
                } else {
                    spec.value(d.name());
                }
            }
        }
        return spec;
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        try (PluginHandle<Job> handle = catalog.open(Job.class, name);
             CliJobContext context = new CliJobContext(catalog, ctx.bundleContext(), ctx.err())) {
            Job<?> job = handle.get();
            Map<String, Object> raw = raw(job, args);
            JobResult result = JobRunner.run(job, raw, FLAG_FORMAT, context);
            ctx.out().print(result.text());
            return result.json();
        }
    }

    /**
     * The spec as one map: a SPEC.yaml's keys (validated on their own first, so a bad key is named
     * with its file), then the flags over them, then the positional argument under its key.
     */
    private Map<String, Object> raw(Job<?> job, Args args) {
        Map<String, Object> raw = new LinkedHashMap<>();
        String positional = null;
        for (String p : args.positional()) {
            if (isSpecFile(p)) {
                if (!raw.isEmpty()) {
                    throw new UsageException("'" + name + "' takes one SPEC file, got another: " + p);
                }
                Map<String, Object> file = SpecYaml.read(Path.of(p));
                OptionValues.of(file, job.options(), p + ": key '%s'");
                raw.putAll(file);
            } else if (p.startsWith("-") && p.length() > 1 && !isNumber(p)) {
                throw new UsageException("unknown option " + p + " for '" + name + "' (options start with --; see: transfuse "
                        + name + " --help)");
            } else if (job.positional() != null && positional == null) {
                positional = p;
            } else {
                throw new UsageException("unexpected argument '" + p + "' for '" + name + "' (see: transfuse " + name
                        + " --help)");
            }
        }
        raw.putAll(args.values());
        if (positional != null) {
            raw.put(job.positional(), positional);
        }
        return raw;
    }

    private static boolean isSpecFile(String p) {
        String lower = p.toLowerCase(Locale.ROOT);
        return (lower.endsWith(".yaml") || lower.endsWith(".yml")) && !p.startsWith("-");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
