package transfuse.cli;

import java.util.List;
import java.util.Map;

import transfuse.core.PluginInfo;
import transfuse.jobs.TextTable;

/** {@code transfuse plugins}: every registered architecture, solver, aligner and initializer. */
final class PluginsCommand implements Command {
    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String summary() {
        return "list registered architectures, solvers, aligners, initializers and benchmarks";
    }

    @Override
    public String usage() {
        return "transfuse plugins [--json]";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec();
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        if (!args.positional().isEmpty()) {
            throw new UsageException("'plugins' takes no arguments");
        }
        List<PluginInfo> plugins = ctx.catalog().list();
        TextTable table = new TextTable("KIND", "NAME", "BUNDLE", "VERSION", "DESCRIPTION");
        for (PluginInfo p : plugins) {
            table.row(p.kind().label(), p.name(), p.bundle(), p.version(), p.description());
        }
        ctx.out().print(table.render());
        ctx.err().println(plugins.size() + " plugins");
        return Map.of("plugins", plugins.stream().map(PluginInfo::toJson).toList());
    }
}
