package transfuse.api.data;

import java.util.Locale;

import transfuse.api.TransfuseException;

/** The fixed, documented part of a data set a command reads: training or test examples. */
public enum Split {
    TRAIN, TEST;

    /** The lower-case name used on the command line and in JSON. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train} or {@code test}. */
    public static Split parse(String s) {
        for (Split split : values()) {
            if (split.label().equals(s)) {
                return split;
            }
        }
        throw new TransfuseException("unknown split '" + s + "', expected train or test");
    }
}
