package transfuse.cli;

import java.io.PrintStream;

import transfuse.api.progress.ProgressListener;

/**
 * Progress of long work on stderr, at most a few lines a second: a carriage-return bar on a
 * terminal would garble logs, so each update is its own line, rate-limited.
 */
final class ProgressPrinter implements ProgressListener {
    private static final long MIN_INTERVAL_NANOS = 500_000_000L;

    private final PrintStream err;
    private final String prefix;
    private final long start = System.nanoTime();
    private long lastPrinted = System.nanoTime();

    ProgressPrinter(PrintStream err, String prefix) {
        this.err = err;
        this.prefix = prefix;
    }

    @Override
    public void progress(String task, long done, long total, String message) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && now - lastPrinted < MIN_INTERVAL_NANOS) {
            return;
        }
        lastPrinted = now;
        double elapsed = (now - start) / 1e9;
        StringBuilder line = new StringBuilder(prefix).append(" | ").append(task);
        if (total > 0) {
            line.append(String.format(" %d/%d (%.0f%%)", done, total, 100.0 * done / total));
            if (done > 0 && !finished) {
                line.append(String.format(" eta %.0fs", elapsed * (total - done) / done));
            }
        } else {
            line.append(' ').append(done);
        }
        line.append(String.format(" %.1fs", elapsed));
        if (message != null && !message.isEmpty()) {
            line.append(" | ").append(message);
        }
        err.println(line);
    }
}
