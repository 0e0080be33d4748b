package transfuse.api.option;

/**
 * The value type of a declared option. Besides the value's shape it says what the value means to
 * a front end: the command line reads a {@link #FLAG} without a value and a list until the next
 * option; a server confines {@link #INPUT}, {@link #INPUTS} and the path form of {@link #DATA} to
 * its roots and chooses every {@link #OUTPUT} itself.
 */
public enum OptionType {
    /** On or off; {@code --name} on the command line, a boolean in YAML and JSON. */
    FLAG,
    /** A string. */
    TEXT,
    /** A whole number within the declared bounds. */
    INTEGER,
    /** A finite number within the declared bounds. */
    NUMBER,
    /** One of the declared choices. */
    CHOICE,
    /** Several strings. */
    LIST,
    /** A file or directory the job reads. */
    INPUT,
    /** Several files or directories the job reads. */
    INPUTS,
    /** A data set: a bundled name with an optional {@code :N}, or a path to the full data. */
    DATA,
    /** A file or directory the job writes. */
    OUTPUT;

    /** Whether a value holds several items. */
    public boolean isList() {
        return this == LIST || this == INPUTS;
    }
}
