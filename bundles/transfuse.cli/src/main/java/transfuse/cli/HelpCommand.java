package transfuse.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code transfuse help}: the commands and one line on each. */
final class HelpCommand implements Command {
    private final List<Command> commands;

    HelpCommand(List<Command> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String summary() {
        return "list the commands (transfuse COMMAND --help for one command's options)";
    }

    @Override
    public String usage() {
        return "transfuse help [COMMAND] [--json]";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec();
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        if (!args.positional().isEmpty()) {
            String name = args.positional().get(0);
            for (Command c : all()) {
                if (c.name().equals(name)) {
                    ctx.out().println(c.usage());
                    return Map.of("command", c.name(), "usage", c.usage());
                }
            }
            throw new UsageException("unknown command '" + name + "'");
        }
        ctx.out().println("transfuse: fuse transformer models (OT fusion, permutation merging)");
        ctx.out().println();
        ctx.out().println("usage: transfuse COMMAND [OPTIONS]   (every command takes --json and --help)");
        ctx.out().println();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Command c : all()) {
            ctx.out().printf("  %-10s %s%n", c.name(), c.summary());
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", c.name());
            row.put("summary", c.summary());
            rows.add(row);
        }
        return Map.of("commands", rows);
    }

    /** The list this command was given includes itself (see {@link Commands}). */
    private List<Command> all() {
        return commands;
    }
}
