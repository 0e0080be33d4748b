package transfuse.cli;

import java.util.List;
import java.util.Map;

/**
 * One {@code transfuse} subcommand. It writes human-readable results to
 * {@link CliContext#out()} (suppressed under {@code --json}), progress to {@link CliContext#err()},
 * and returns the object printed as the JSON last line under {@code --json}.
 */
interface Command {
    String name();

    /** One line for {@code transfuse help}. */
    String summary();

    /** The usage line(s) shown by {@code --help} and on usage errors. */
    String usage();

    OptionSpec options();

    /**
     * The options for these arguments: the same for most commands; {@code submit} takes the
     * options of the job kind its first argument names.
     */
    default OptionSpec options(List<String> tokens) {
        return options();
    }

    /** @return the --json result; null only for a command that printed its JSON line itself */
    Map<String, Object> run(Args args, CliContext ctx) throws Exception;
}
