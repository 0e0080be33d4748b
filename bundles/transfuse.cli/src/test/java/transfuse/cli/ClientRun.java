package transfuse.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Runs the client commands as {@code transfuse ...} would, capturing the exit status, stdout and stderr. */
record ClientRun(int status, String out, String err) {
    static ClientRun of(Function<String, JobFlags> localJobs, Map<String, String> env, Path home, String... argv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ClientSettings settings = new ClientSettings(env, home);
        CommandLine cli = new CommandLine(List.of(new SubmitCommand(localJobs, settings), new JobsCommand(settings)),
                null, null, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int status = cli.run(Arrays.asList(argv));
        return new ClientRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The last line of stdout: the --json object. */
    String lastLine() {
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1];
    }
}
