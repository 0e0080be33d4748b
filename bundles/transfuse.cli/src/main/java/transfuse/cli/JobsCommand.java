package transfuse.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import transfuse.cli.client.ArtifactFetcher;
import transfuse.cli.client.ServerClient;
import transfuse.io.json.JsonText;
import transfuse.jobs.TextTable;

/** {@code transfuse jobs list|show|watch|cancel|fetch}: the jobs of a running server. */
final class JobsCommand implements Command {
    private final ClientSettings settings;

    JobsCommand(ClientSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "jobs";
    }

    @Override
    public String summary() {
        return "list, show, watch, cancel a running server's jobs, fetch their outputs";
    }

    @Override
    public String usage() {
        return """
                transfuse jobs [list [--state S]] | show ID | watch ID | cancel ID | fetch ID DIR   [--server URL] [--json]
                  list    the jobs, newest first: id, kind, state, progress, created (--state: only those in state S)
                  show    one job: spec, state, progress, times, error, result
                  watch   its progress and log lines as the local command shows them; exit 0 when it succeeds
                          (printing its result), 1 when it failed or was cancelled
                  cancel  cancel a queued or running job, or forget a finished one and its outputs
                  fetch   download its output files into DIR, keeping their relative paths
                  --server  the server's URL (else TRANSFUSE_SERVER, else http://127.0.0.1:8480); the token is
                            TRANSFUSE_TOKEN, else the file HOME/token""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("server", "state");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) throws Exception {
        List<String> words = args.positional();
        String action = words.isEmpty() ? "list" : words.get(0);
        if (args.has("state") && !action.equals("list")) {
            throw new UsageException("option --state applies to 'jobs list' only");
        }
        return switch (action) {
            case "list" -> {
                arguments(words, 0, "jobs list");
                yield list(settings.client(args).jobs(args.get("state")), ctx);
            }
            case "show" -> {
                String id = arguments(words, 1, "jobs show ID").get(0);
                Map<String, Object> job = settings.client(args).job(id);
                ctx.out().print(new String(JsonText.pretty(job), StandardCharsets.UTF_8));
                yield job;
            }
            case "watch" -> {
                String id = arguments(words, 1, "jobs watch ID").get(0);
                yield new JobWatcher(settings.client(args), ctx.err()).watch(id, ctx);
            }
            case "cancel" -> {
                String id = arguments(words, 1, "jobs cancel ID").get(0);
                yield cancel(settings.client(args), id, ctx);
            }
            case "fetch" -> {
                List<String> idAndDir = arguments(words, 2, "jobs fetch ID DIR");
                yield fetch(settings.client(args), idAndDir.get(0), Path.of(idAndDir.get(1)), ctx);
            }
            default -> throw new UsageException("unknown action '" + action + "' for 'jobs' (list, show, watch, cancel, fetch)");
        };
    }

    /** The words after the action, exactly {@code count} of them. */
    private static List<String> arguments(List<String> words, int count, String synopsis) {
        List<String> rest = words.isEmpty() ? List.of() : words.subList(1, words.size());
        if (rest.size() != count) {
            throw new UsageException("usage: transfuse " + synopsis + (rest.size() > count ? " (unexpected '"
                    + rest.get(count) + "')" : ""));
        }
        return rest;
    }

    private static Map<String, Object> list(List<Map<String, Object>> jobs, CliContext ctx) {
        TextTable table = new TextTable("ID", "KIND", "STATE", "PROGRESS", "CREATED");
        for (Map<String, Object> job : jobs) {
            table.row(job.get("id"), job.get("kind"), job.get("state"), progress(job), toSeconds(job.get("created")));
        }
        ctx.out().print(table.render());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("jobs", jobs);
        return json;
    }

    /** An ISO instant to whole seconds ({@code 2025-01-02T10:00:00.123456789Z} to {@code 2025-01-02T10:00:00Z}). */
    private static String toSeconds(Object instant) {
        return instant == null ? "" : String.valueOf(instant).replaceFirst("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d)\\.\\d+Z$", "$1Z");
    }

    /** The progress column: the fraction done as a percentage, 100 % once succeeded, "-" before any report. */
    private static String progress(Map<String, Object> job) {
        if ("succeeded".equals(job.get("state"))) {
            return "100%";
        }
        if (job.get("progress") instanceof Map<?, ?> p && p.get("fraction") instanceof Number f) {
            return String.format(Locale.ROOT, "%.0f%%", 100 * f.doubleValue());
        }
        return "-";
    }

    /**
     * DELETE does one of three things depending on the job's state, and answers the job as it was
     * or now is; the state asked for first says which one happened.
     */
    private static Map<String, Object> cancel(ServerClient client, String id, CliContext ctx) {
        Object before = client.job(id).get("state");
        Map<String, Object> answer = client.delete(id);
        answer.putIfAbsent("id", id);
        String done = "queued".equals(before) ? "cancelled"
                : "running".equals(before) ? "cancel requested (it stops at its next progress report)"
                : "forgotten with its outputs (it had " + before + ")";
        ctx.out().println("job " + id + ": " + done);
        return answer;
    }

    private static Map<String, Object> fetch(ServerClient client, String id, Path dir, CliContext ctx) throws Exception {
        List<ArtifactFetcher.Fetched> files = new ArtifactFetcher(client).fetch(id, dir);
        List<Map<String, Object>> listed = new ArrayList<>();
        long total = 0;
        for (ArtifactFetcher.Fetched f : files) {
            ctx.out().println(dir.resolve(f.path()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("path", f.path());
            row.put("bytes", f.bytes());
            listed.add(row);
            total += f.bytes();
        }
        ctx.err().println("fetched " + files.size() + " files (" + total + " bytes) of job " + id + " into " + dir);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("dir", dir.toAbsolutePath().toString());
        json.put("artifacts", listed);
        return json;
    }
}
