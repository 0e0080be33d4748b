package transfuse.server.bundles;

/** Turns exceptions and SCR failure texts into the one-line reasons clients and the log get. */
final class Reasons {
    private Reasons() {
    }

    /** The message and, when it adds something, the root cause's: the activator's own words. */
    static String of(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String line = text(e);
        if (root != e) {
            line += ": " + root.getClass().getName() + (root.getMessage() == null ? "" : ": " + text(root));
        }
        return line;
    }

    /** SCR's failure text is a stack trace: keep its first line and its deepest cause. */
    static String ofStackTrace(String trace) {
        if (trace == null || trace.isBlank()) {
            return "unknown failure";
        }
        String[] lines = trace.strip().split("\\R");
        String cause = null;
        for (String l : lines) {
            if (l.startsWith("Caused by: ")) {
                cause = l.substring("Caused by: ".length());
            }
        }
        return flat(lines[0]) + (cause == null ? "" : "; caused by " + flat(cause));
    }

    static String flat(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }

    private static String text(Throwable e) {
        return e.getMessage() == null ? e.getClass().getName() : flat(e.getMessage());
    }
}
