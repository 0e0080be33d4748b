package transfuse.api;

/**
 * A failure caused by the user's input (a malformed file, a bad option, a shape mismatch).
 * The message is one line naming the problem and the file or field; front ends print it
 * as-is and exit with status 2 (HTTP 400).
 */
public class TransfuseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TransfuseException(String message) {
        super(message);
    }

    public TransfuseException(String message, Throwable cause) {
        super(message, cause);
    }
}
