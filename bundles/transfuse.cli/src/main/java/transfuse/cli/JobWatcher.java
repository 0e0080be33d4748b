package transfuse.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import transfuse.api.TransfuseException;
import transfuse.cli.client.ServerClient;
import transfuse.cli.client.ServerEvent;
import transfuse.cli.client.ServerException;
import transfuse.io.json.JsonText;

/**
 * Follows a server job's event stream as a local command shows its own work: progress lines
 * through {@link ProgressPrinter} and log lines as they are, on stderr. Ends with the job: its
 * result when it succeeded, a {@link CommandFailure} naming the job's error when it failed or was
 * cancelled.
 */
final class JobWatcher {
    static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    private static final Set<String> SHOWN = Set.of("progress", "log", "state");

    private final ServerClient client;
    private final PrintStream err;
    /** One printer per progress label, as a local job opens one per phase. */
    private final Map<String, ProgressPrinter> printers = new HashMap<>();

    JobWatcher(ServerClient client, PrintStream err) {
        this.client = client;
        this.err = err;
    }

    /**
     * Prints the job's result on {@code ctx.out()} once it succeeded.
     *
     * @return the job's result object (what the local command prints with --json)
     * @throws CommandFailure when the job failed or was cancelled
     */
    Map<String, Object> watch(String id, CliContext ctx) {
        Map<String, Object> job = awaitEnd(id);
        Object result = job.get("result");
        Map<String, Object> json = new LinkedHashMap<>();
        if (result instanceof Map<?, ?> m) {
            m.forEach((k, v) -> json.put(String.valueOf(k), v));
            ctx.out().print(new String(JsonText.pretty(json), StandardCharsets.UTF_8));
        }
        err.println("job " + id + " succeeded");
        return json;
    }

    /** Shows the stream until the terminal state; the job as the server then reports it. */
    private Map<String, Object> awaitEnd(String id) {
        AtomicReference<Map<String, Object>> terminal = new AtomicReference<>();
        client.events(id, event -> {
            if (!SHOWN.contains(event.type())) {
                return true; // other event types are for other clients (the web page)
            }
            Map<String, Object> data = data(event, id);
            switch (event.type()) {
                case "progress" -> printer(data, id).progress(String.valueOf(data.getOrDefault("task", "")),
                        number(data.get("done")), number(data.get("total")), text(data.get("message")));
                case "log" -> err.println(logLine(data));
                case "state" -> {
                    String state = String.valueOf(data.get("state"));
                    if (TERMINAL.contains(state)) {
                        terminal.set(data);
                        return false;
                    }
                    err.println("job " + id + ": " + state);
                }
                default -> throw new IllegalStateException(event.type());
            }
            return true;
        });
        Map<String, Object> job = client.job(id);
        // The terminal event decides; the job object stands in when the stream ended without one.
        Map<String, Object> end = terminal.get() != null ? terminal.get() : job;
        String state = String.valueOf(end.get("state"));
        String error = text(end.get("error")) != null ? text(end.get("error")) : text(job.get("error"));
        return switch (state) {
            case "succeeded" -> job;
            case "failed" -> throw new CommandFailure("job " + id + " failed: " + (error == null ? "no reason given" : error));
            case "cancelled" -> throw new CommandFailure("job " + id + " was cancelled");
            default -> throw new CommandFailure("the event stream of job " + id + " ended while it was " + state
                    + "; follow it again with: transfuse jobs watch " + id);
        };
    }

    private ProgressPrinter printer(Map<String, Object> data, String id) {
        Object label = data.get("label");
        return printers.computeIfAbsent(label == null ? id : String.valueOf(label), k -> new ProgressPrinter(err, k));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(ServerEvent event, String id) {
        try {
            if (JsonText.parse(event.data(), "event data") instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (TransfuseException e) {
            // reported below
        }
        throw new ServerException(200, "malformed '" + event.type() + "' event of job " + id + ": " + event.data());
    }

    /** A log event's line ({@code line}, else {@code message}), or its whole data when it has neither. */
    private static String logLine(Map<String, Object> data) {
        Object line = data.containsKey("line") ? data.get("line") : data.get("message");
        return line != null ? String.valueOf(line) : JsonText.line(data);
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static String text(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
