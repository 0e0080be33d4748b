package transfuse.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import transfuse.api.TransfuseException;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionType;
import transfuse.api.option.OptionValues;
import transfuse.cli.client.ServerClient;
import transfuse.io.spec.SpecYaml;

/**
 * {@code transfuse submit KIND SPEC.yaml|--flags...}: builds the spec exactly as the local command
 * {@code transfuse KIND} would (the kind's declarations in the local registry say which flags take
 * values) and posts it to a running server as a job.
 */
final class SubmitCommand implements Command {
    private final Function<String, JobFlags> localJobs;
    private final ClientSettings settings;

    /**
     * @param localJobs the flags of a locally installed job kind, or null for a kind not installed here
     */
    SubmitCommand(Function<String, JobFlags> localJobs, ClientSettings settings) {
        this.localJobs = localJobs;
        this.settings = settings;
    }

    @Override
    public String name() {
        return "submit";
    }

    @Override
    public String summary() {
        return "submit a job to a running server (same flags or SPEC.yaml as the local command)";
    }

    @Override
    public String usage() {
        return """
                transfuse submit KIND SPEC.yaml|--flags... [--server URL] [--wait] [--json]
                  KIND      a job kind (fuse, barrier, train, eval, solve, ...), with its flags as for 'transfuse KIND'
                            except outputs (--out, --plot): the server chooses them; 'transfuse jobs fetch ID DIR' downloads them
                  --server  the server's URL (else TRANSFUSE_SERVER, else http://127.0.0.1:8480); the token is
                            TRANSFUSE_TOKEN, else the file HOME/token
                  --wait    follow the job as 'transfuse jobs watch' does, exit with its outcome
                  --json    print the job object (with --wait: the job's result) as the last line of stdout
                prints the job's id on stdout""";
    }

    @Override
    public OptionSpec options() {
        return new OptionSpec().value("server").flag("wait");
    }

    /** The options of the kind named first, then submit's own (which win a clash of names). */
    @Override
    public OptionSpec options(List<String> tokens) {
        OptionSpec spec = new OptionSpec();
        JobFlags flags = tokens.isEmpty() || tokens.get(0).startsWith("-") ? null : localJobs.apply(tokens.get(0));
        if (flags != null) {
            flags.addTo(spec);
        } else if (tokens.size() > 1 && tokens.stream().skip(1).anyMatch(t -> t.startsWith("--") && !isOwnOption(t))) {
            throw new UsageException("job kind '" + tokens.get(0) + "' is not installed here, so its flags cannot be read;"
                    + " give its spec as a SPEC.yaml (the server checks it)");
        }
        return spec.value("server").flag("wait");
    }

    @Override
    public Map<String, Object> run(Args args, CliContext ctx) {
        if (args.positional().isEmpty()) {
            throw new UsageException("'submit' needs a job KIND, e.g. transfuse submit fuse SPEC.yaml");
        }
        String kind = args.positional().get(0);
        Map<String, Object> spec = spec(kind, args);
        ServerClient client = settings.client(args);
        Map<String, Object> job = client.submit(kind, spec);
        String id = String.valueOf(job.get("id"));
        ctx.err().println("job " + id + " (" + kind + ") queued on " + client.address().url()
                + (args.flag("wait") ? "" : "; follow it with: transfuse jobs watch " + id));
        if (!args.flag("wait")) {
            ctx.out().println(id);
            return job;
        }
        return new JobWatcher(client, ctx.err()).watch(id, ctx);
    }

    /** The spec to post: the local command's, values typed as its declarations say; outputs refused. */
    private Map<String, Object> spec(String kind, Args args) {
        List<String> words = args.positional().subList(1, args.positional().size());
        Map<String, Object> flagValues = new LinkedHashMap<>(args.values());
        flagValues.remove("server");
        flagValues.remove("wait");
        JobFlags flags = localJobs.apply(kind);
        if (flags == null) {
            return specFileOnly(kind, words);
        }
        Map<String, Object> raw = flags.raw(words, flagValues);
        for (String key : raw.keySet()) {
            OptionDecl d = flags.decl(key);
            if (d != null && d.type() == OptionType.OUTPUT) {
                String given = flagValues.containsKey(key) ? "option --" + key : "spec key '" + key + "'";
                throw new TransfuseException(given + ": the server chooses where outputs go; after the job, download them"
                        + " with: transfuse jobs fetch ID DIR");
            }
        }
        return new LinkedHashMap<>(OptionValues.of(raw, flags.options(), JobCommand.FLAG_FORMAT).givenValues());
    }

    /** A kind unknown here can still be submitted from a SPEC.yaml; the server validates its keys. */
    private static Map<String, Object> specFileOnly(String kind, List<String> words) {
        if (words.size() != 1 || !words.get(0).toLowerCase(Locale.ROOT).matches(".*\\.ya?ml")) {
            throw new UsageException("job kind '" + kind + "' is not installed here, so its flags cannot be read;"
                    + " give its spec as one SPEC.yaml (the server checks it)");
        }
        return SpecYaml.read(Path.of(words.get(0)));
    }

    private static boolean isOwnOption(String token) {
        String name = token.substring(2).split("=", 2)[0];
        return name.equals("server") || name.equals("wait") || name.equals("json") || name.equals("help");
    }
}
