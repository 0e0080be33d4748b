package transfuse.server.store;

import java.util.Locale;

/** queued -> running -> succeeded | failed | cancelled; a running job may go back to queued after a restart (resume). */
public enum JobState {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /** The API's spelling: {@code queued}, {@code running}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for an unknown label */
    public static JobState parse(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }
}
