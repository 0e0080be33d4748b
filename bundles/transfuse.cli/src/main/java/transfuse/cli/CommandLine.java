package transfuse.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;

import transfuse.api.TransfuseException;
import transfuse.api.job.JobCancelledException;
import transfuse.cli.client.ServerException;
import transfuse.io.json.JsonText;
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
        boolean json = argv.contains("--json");
        Command command = commands.get(argv.get(0));
        if (command == null) {
            return fail(BAD_INPUT, "unknown command '" + argv.get(0) + "' (commands: " + String.join(", ",
                    commands.keySet()) + ")", json);
        }
        try {
            List<String> tokens = argv.subList(1, argv.size());
            Args args = Args.parse(command.name(), tokens, command.options(tokens));
            if (args.flag("help")) {
                out.println(command.usage());
                return OK;
            }
            Map<String, Object> result = command.run(args, new CliContext(out, err, json, catalog, bundleContext));
            if (json && result != null) {
                out.println(JsonText.line(result));
            }
            out.flush();
            return OK;
        } catch (UsageException e) {
            String hint = e.getMessage().contains("--help") ? "" : " (see: transfuse " + command.name() + " --help)";
            return fail(BAD_INPUT, e.getMessage() + hint, json);
        } catch (TransfuseException e) {
            return fail(BAD_INPUT, e.getMessage(), json);
        } catch (JobCancelledException e) {
            return fail(FAILED, "cancelled", json);
        } catch (ServerException e) {
            return fail(e.refused() ? BAD_INPUT : FAILED, e.getMessage(), json);
        } catch (CommandFailure e) {
            return fail(FAILED, e.getMessage(), json);
        } catch (Exception | Error e) {
            if (Boolean.getBoolean("transfuse.debug")) {
                e.printStackTrace(err);
            }
            return fail(FAILED, "internal error: " + e, json);
        }
    }

    /**
     * One line on stderr; under --json also one {@code {"error": ...}} object as stdout's last
     * line, so a script reading that line always gets an object.
     */
    private int fail(int status, String message, boolean json) {
        String line = oneLine(message);
        err.println(line.startsWith("internal error: ") ? line : "error: " + line);
        if (json) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", line);
            error.put("status", status);
            out.println(JsonText.line(error));
        }
        out.flush();
        return status;
    }

    Map<String, Command> commands() {
        return commands;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
