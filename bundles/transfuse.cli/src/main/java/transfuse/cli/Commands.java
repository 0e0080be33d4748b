package transfuse.cli;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.job.Job;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;

/**
 * Every subcommand, in the order {@code transfuse help} lists them: the commands of the front end
 * itself, and one for every registered job kind (a plugin that adds a job adds a command).
 */
final class Commands {
    /** The built-in job kinds in the order of the README's table; others follow by name. */
    private static final List<String> ORDER = List.of("inspect", "solve", "train", "eval", "forward", "fuse",
            "barrier", "demo", "import");

    private Commands() {
    }

    static List<Command> all(PluginCatalog catalog) {
        List<Command> list = new ArrayList<>();
        list.add(new PluginsCommand());
        List<String> jobs = new ArrayList<>(catalog.names(Job.class));
        jobs.sort((a, b) -> Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b));
        for (String job : jobs) {
            list.add(new JobCommand(job, catalog));
        }
        list.add(new BenchCommand());
        list.add(new ServeCommand());
        ClientSettings client = ClientSettings.system();
        list.add(new SubmitCommand(kind -> localJob(catalog, kind), client));
        list.add(new JobsCommand(client));
        list.add(0, new HelpCommand(list));
        return list;
    }

    /** The flags of an installed job kind, or null when none is installed under that name. */
    private static JobFlags localJob(PluginCatalog catalog, String kind) {
        if (!catalog.names(Job.class).contains(kind)) {
            return null;
        }
        try (PluginHandle<Job> job = catalog.open(Job.class, kind)) {
            return JobFlags.of(job.get());
        }
    }

    private static int rank(String job) {
        int i = ORDER.indexOf(job);
        return i < 0 ? ORDER.size() : i;
    }
}
