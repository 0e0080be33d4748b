package transfuse.server.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * The child process of the store's process tests. {@code write FOLDER}: creates jobs and appends
 * events without end, printing one line after each call has returned (so every printed line is a
 * commit the store promised to keep). {@code hold FOLDER}: opens the store, prints {@code open} and
 * waits to be killed.
 */
public final class StoreWriter {
    private StoreWriter() {
    }

    public static void main(String[] args) throws InterruptedException {
        H2JobStore store = new H2JobStore(Path.of(args[1]));
        if (args[0].equals("hold")) {
            report("open");
            Thread.sleep(Long.MAX_VALUE);
        }
        for (int n = 0; ; n++) {
            JobRecord job = store.create("fuse", Map.of("round", n, "models", java.util.List.of("a", "b")));
            report("job " + job.id());
            store.setState(job.id(), JobState.RUNNING, null);
            report("state " + job.id() + " running");
            for (int i = 1; i <= 1 + n % 7; i++) {
                JobEvent event = store.appendEvent(job.id(), "progress", Map.of("done", i, "text", "x".repeat(200)));
                report("event " + job.id() + " " + event.seq());
            }
            store.setState(job.id(), JobState.SUCCEEDED, null);
            report("state " + job.id() + " succeeded");
        }
    }

    private static void report(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
