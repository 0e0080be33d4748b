package transfuse.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;

import transfuse.api.TransfuseException;
import transfuse.core.PluginCatalog;

/**
 * Dispatches {@code transfuse COMMAND ARGS...} and turns outcomes into exit codes:
 * 0 success, 2 bad usage or bad input (one line on stderr), 1 anything else.
 */
final class CommandLine {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;

    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PluginCatalog catalog;
    private final BundleContext bundleContext;
    private final PrintStream out;
    private final PrintStream err;

    CommandLine(List<Command> commands, PluginCatalog catalog, BundleContext bundleContext, PrintStream out, PrintStream err) {
        for (Command c : commands) {
            this.commands.put(c.name(), c);
        }
        this.catalog = catalog;
        this.bundleContext = bundleContext;
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            return run(List.of("help"));
        }
        Command command = commands.get(argv.get(0));
        if (command == null) {
            err.println("error: unknown command '" + argv.get(0) + "' (commands: " + String.join(", ", commands.keySet()) + ")");
            return BAD_INPUT;
        }
        boolean json = argv.contains("--json");
        try {
            Args args = Args.parse(command.name(), argv.subList(1, argv.size()), command.options());
            if (args.flag("help")) {
                out.println(command.usage());
                return OK;
            }
            Map<String, Object> result = command.run(args, new CliContext(out, err, json, catalog, bundleContext));
            if (json && result != null) {
                out.println(Json.line(result));
            }
            out.flush();
            return OK;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("usage: " + command.usage().lines().findFirst().orElse(""));
            return BAD_INPUT;
        } catch (TransfuseException e) {
            err.println("error: " + oneLine(e.getMessage()));
            return BAD_INPUT;
        } catch (Exception | Error e) {
            err.println("internal error: " + e);
            if (Boolean.getBoolean("transfuse.debug")) {
                e.printStackTrace(err);
            }
            return FAILED;
        }
    }

    Map<String, Command> commands() {
        return commands;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
